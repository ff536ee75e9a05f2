import axios, { AxiosInstance, AxiosError } from "axios";

export interface Deployment {
  id: string;
  app: string;
  ref: string;
  status: "queued" | "building" | "live" | "failed" | "rolled_back";
  createdAt: string;
  url?: string;
}

export class ShipyardApi {
  private client: AxiosInstance;

  constructor(token: string, baseURL = "https://api.shipyard.example.com/v1") {
    this.client = axios.create({
      baseURL,
      headers: { Authorization: `Bearer ${token}` },
      timeout: 30_000,
    });
  }

  async apps(): Promise<Array<{ name: string; repo: string; region: string }>> {
    const res = await this.client.get("/apps");
    return res.data.apps;
  }

  async deploy(app: string, ref: string): Promise<Deployment> {
    const res = await this.client.post(`/apps/${app}/deployments`, { ref });
    return res.data;
  }

  async deployments(app: string, limit = 10): Promise<Deployment[]> {
    const res = await this.client.get(`/apps/${app}/deployments`, { params: { limit } });
    return res.data.deployments;
  }

  async rollback(app: string, deploymentId: string): Promise<Deployment> {
    const res = await this.client.post(`/apps/${app}/deployments/${deploymentId}/rollback`);
    return res.data;
  }

  async logs(app: string, deploymentId: string): Promise<string> {
    const res = await this.client.get(`/apps/${app}/deployments/${deploymentId}/logs`, {
      responseType: "text",
    });
    return res.data as string;
  }

  static describeError(err: unknown): string {
    if (axios.isAxiosError(err)) {
      const e = err as AxiosError<{ message?: string }>;
      return `${e.response?.status ?? "network"}: ${e.response?.data?.message ?? e.message}`;
    }
    return String(err);
  }
}
