import got, { type Got } from 'got';
import { LinguaConfig } from './config.js';

export interface Translation {
  text: string;
  detected_source_language: string;
}

export class LinguaClient {
  private http: Got;

  constructor(private cfg: LinguaConfig) {
    this.http = got.extend({
      prefixUrl: cfg.apiBase,
      headers: { authorization: `Lingua-Key ${cfg.apiKey}` },
      responseType: 'json',
    });
  }

  async translate(text: string, target: string, source?: string): Promise<Translation> {
    const body = await this.http
      .post('translate', { json: { text: [text], target_lang: target, source_lang: source, formality: this.cfg.formality } })
      .json<{ translations: Translation[] }>();
    return body.translations[0];
  }

  async detect(text: string): Promise<{ language: string; confidence: number }> {
    return this.http.post('detect', { json: { text } }).json();
  }

  async languages(): Promise<Array<{ code: string; name: string }>> {
    return this.http.get('languages').json();
  }
}
