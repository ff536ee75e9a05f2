"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.dnsbl = dnsbl;
const promises_1 = require("dns/promises");
const ZONE = "bl.spamlist.example";
async function dnsbl(ip) {
    const reversed = ip.split(".").reverse().join(".");
    try {
        const codes = await (0, promises_1.resolve4)(`${reversed}.${ZONE}`);
        return { listed: true, codes };
    }
    catch (e) {
        if (e.code === "ENOTFOUND" || e.code === "ENODATA")
            return { listed: false, codes: [] };
        throw e;
    }
}
//# sourceMappingURL=dnsbl.js.map
