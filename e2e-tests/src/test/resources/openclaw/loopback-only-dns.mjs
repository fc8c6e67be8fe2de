// Preloaded into the test gateway with NODE_OPTIONS=--import (protocols/openclaw.md §11): every name other than
// localhost or an IP literal fails at once with ENOTFOUND, so the gateway never looks beyond loopback (it would
// otherwise try to fetch the hosted plugin catalog from clawhub.ai, which no setting turns off).
import dns from 'node:dns';
import net from 'node:net';

const allowed = (host) => host === 'localhost' || net.isIP(String(host)) !== 0;
const refused = (host) => Object.assign(
  new Error(`getaddrinfo ENOTFOUND ${host} (claw-mesh tests resolve loopback names only)`),
  { code: 'ENOTFOUND', errno: -3008, hostname: host, syscall: 'getaddrinfo' });

const lookup = dns.lookup;
dns.lookup = function (host, options, callback) {
  if (typeof options === 'function') { callback = options; options = {}; }
  if (!allowed(host)) { process.nextTick(callback, refused(host)); return {}; }
  return lookup.call(this, host, options, callback);
};
const lookupPromise = dns.promises.lookup;
dns.promises.lookup = async function (host, options) {
  if (!allowed(host)) { throw refused(host); }
  return lookupPromise.call(this, host, options);
};
