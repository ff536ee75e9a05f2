export const STATUS_PAGE_API = 'https://status.example.com/api/v2/';
export const DEFAULT_CHANNEL = process.env.INCIDENT_CHANNEL ?? '#incidents';
export const SEVERITY_EMOJI: Record<string, string> = {
  sev1: ':rotating_light:',
  sev2: ':warning:',
  sev3: ':information_source:',
};
