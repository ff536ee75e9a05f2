"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.WHOIS_SERVER = void 0;
exports.whois = whois;
const net_1 = __importDefault(require("net"));
exports.WHOIS_SERVER = "whois.registry.example";
function whois(ip, server = exports.WHOIS_SERVER) {
    return new Promise((resolve, reject) => {
        let buf = "";
        const sock = net_1.default.createConnection({ host: server, port: 43 }, () => {
            sock.write(`n + ${ip}\r\n`);
        });
        sock.setTimeout(8000, () => sock.destroy(new Error("whois timeout")));
        sock.on("data", (d) => (buf += d.toString("utf8")));
        sock.on("end", () => resolve(buf));
        sock.on("error", reject);
    });
}
//# sourceMappingURL=whois.js.map
