import nodemailer from "nodemailer";

export function createMailer(smtp) {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.port === 465,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass } : undefined,
  });

  return function sendMail(to, subject, text) {
    return new Promise((resolve, reject) => {
      transport.sendMail({ from: smtp.from, to, subject, text }, (err, info) => {
        if (err) return reject(err);
        resolve(info.messageId);
      });
    });
  };
}
