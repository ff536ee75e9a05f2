import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DEFAULT_BUCKET, DEFAULT_ENDPOINT, DEFAULT_PUBLIC_BASE } from "./constants.js";

export class ThumbStore {
  private readonly s3: S3Client;
  readonly bucket = process.env.THUMBS_BUCKET ?? DEFAULT_BUCKET;
  private readonly publicBase = process.env.THUMBS_PUBLIC_BASE ?? DEFAULT_PUBLIC_BASE;

  constructor() {
    this.s3 = new S3Client({
      endpoint: process.env.THUMBS_S3_ENDPOINT ?? DEFAULT_ENDPOINT,
      region: "auto",
      forcePathStyle: true,
    });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<string> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
    return `${this.publicBase}/${key}`;
  }

  async list(prefix = ""): Promise<string[]> {
    const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: 200 }));
    return (out.Contents ?? []).map((o) => o.Key!).filter(Boolean);
  }
}
