export class LinguaConfig {
  readonly apiBase: string;
  readonly apiKey: string;
  readonly formality: 'default' | 'more' | 'less';

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.apiBase = env.LINGUA_API_URL ?? 'https://api.lingua.example.com/v1/';
    this.apiKey = env.LINGUA_API_KEY ?? '';
    this.formality = (env.LINGUA_FORMALITY as LinguaConfig['formality']) ?? 'default';
  }
}
