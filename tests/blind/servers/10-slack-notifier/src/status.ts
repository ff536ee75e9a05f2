import ky from 'ky';
import { STATUS_PAGE_API } from './constants.js';

const statusApi = ky.create({ prefixUrl: STATUS_PAGE_API, timeout: 5000, retry: 2 });

export interface Component {
  id: string;
  name: string;
  status: 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';
}

export async function components(): Promise<Component[]> {
  const body = await statusApi.get('components.json').json<{ components: Component[] }>();
  return body.components;
}

export async function openIncidents(): Promise<Array<{ name: string; impact: string; shortlink: string }>> {
  const body = await statusApi.get('incidents/unresolved.json').json<{ incidents: any[] }>();
  return body.incidents;
}
