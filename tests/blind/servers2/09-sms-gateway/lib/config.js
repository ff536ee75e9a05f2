const env = process.env;

export default {
  textline: {
    base: env.TEXTLINE_API ?? "https://api.textline.example/2024-01",
    account: env.TEXTLINE_ACCOUNT ?? "",
    token: env.TEXTLINE_TOKEN ?? "",
  },
  smtp: {
    host: env.SMTP_HOST ?? "smtp.mail.example.com",
    port: Number(env.SMTP_PORT ?? 587),
    user: env.SMTP_USER,
    pass: env.SMTP_PASS,
    from: env.MAIL_FROM ?? "noreply@mail.example.com",
  },
};
