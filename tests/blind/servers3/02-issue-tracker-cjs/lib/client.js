'use strict';

const axios = require('axios');

// API reference: https://docs.tracker.example.com/api/v3
const DEFAULT_BASE_URL = 'https://tracker.example.com/api/v3';

class TrackerClient {
  constructor(options = {}) {
    this.token = options.token || process.env.TRACKER_TOKEN;
    if (!this.token) {
      throw new Error('TRACKER_TOKEN is required');
    }
    this.http = axios.create({
      baseURL: options.baseURL || process.env.TRACKER_URL || DEFAULT_BASE_URL,
      timeout: 15000,
      headers: {
        Authorization: `token ${this.token}`,
        'User-Agent': 'tracker-mcp/1.4.0',
      },
    });
  }

  async listIssues(project, { state = 'open', limit = 20 } = {}) {
    const { data } = await this.http.get(`/projects/${encodeURIComponent(project)}/issues`, {
      params: { state, per_page: limit },
    });
    return data;
  }

  async getIssue(project, number) {
    const { data } = await this.http.get(`/projects/${encodeURIComponent(project)}/issues/${number}`);
    return data;
  }

  async createIssue(project, title, body, labels) {
    const { data } = await this.http.post(`/projects/${encodeURIComponent(project)}/issues`, {
      title,
      body,
      labels,
    });
    return data;
  }

  async comment(project, number, body) {
    const { data } = await this.http.post(
      `/projects/${encodeURIComponent(project)}/issues/${number}/comments`,
      { body }
    );
    return data;
  }
}

module.exports = { TrackerClient, DEFAULT_BASE_URL };
