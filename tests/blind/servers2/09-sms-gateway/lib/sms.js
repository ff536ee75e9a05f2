import got from "got";

export function createSmsClient({ base, account, token }) {
  const client = got.extend({
    prefixUrl: `${base}/accounts/${account}`,
    username: account,
    password: token,
    responseType: "json",
    retry: { limit: 1 },
  });

  return {
    send(to, body) {
      return client.post("messages", { json: { to, body } }).then((res) => res.body);
    },
    status(sid) {
      return client.get(`messages/${sid}`).then((res) => res.body);
    },
  };
}
