module.exports = {
  UPSTREAM_RESOLVERS: (process.env.DNS_UPSTREAM || '198.51.100.53').split(','),
  WHOIS_HOST: 'whois.registry.example',
  WHOIS_PORT: 43,
  RECORD_TYPES: ['A', 'AAAA', 'MX', 'TXT', 'NS', 'CNAME', 'SOA'],
};
