'use strict';

const axios = require('axios');
const config = require('./config');

const http = axios.create({
  baseURL: config.baseURL,
  timeout: config.timeoutMs,
  headers: { Accept: 'application/json' },
});

http.interceptors.request.use((req) => {
  req.params = { ...(req.params || {}), key: config.apiKey, units: config.units };
  return req;
});

http.interceptors.response.use(
  (res) => res,
  (err) => {
    const status = err.response ? err.response.status : 'network';
    return Promise.reject(new Error(`weather api error (${status}): ${err.message}`));
  }
);

async function currentConditions(lat, lon) {
  const { data } = await http.get('/current', { params: { lat, lon } });
  return data;
}

async function forecast(lat, lon, days) {
  const { data } = await http.get('/forecast/daily', { params: { lat, lon, days } });
  return data;
}

async function alerts(region) {
  const res = await http.request({ method: 'GET', url: `/alerts/${encodeURIComponent(region)}` });
  return res.data.alerts || [];
}

module.exports = { currentConditions, forecast, alerts };
