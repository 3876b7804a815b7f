'use strict';
// The S3 stand-in for Cairn's tests: s3rver, with AWS Signature Version 4 checked in full. s3rver 3.7 checks only
// that a V4 request names a known access key (its V4 signature check is unimplemented) and lets unsigned requests
// through; real S3 refuses both a wrong secret and an anonymous request to a private bucket, so this wrapper does too.
// It also decodes x-amz-copy-source as S3 does (s3rver does not decode %2F). Usage:
//   node --openssl-legacy-provider server.js --directory DIR --port N --bucket NAME [--count FILE] [--log-requests true]
// The flag is needed: s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17 on) keeps in
// its legacy provider; without it, any listing of more than 1,000 keys answers 500.
// With --count, the number of requests by method is written to FILE when the process gets SIGTERM (bench/s3-import.sh).
// With --log-requests, every request is printed as it arrives, before it is handled: `REQ METHOD URL` (the crash
// tests kill a writer the moment its upload reaches the server).
const crypto = require('crypto');
const S3rver = require('s3rver');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

const rfc3986 = s => encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const sha256 = s => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (key, s) => crypto.createHmac('sha256', key).update(s).digest();

function fail(ctx, status, code, message) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

// The query string as SigV4 canonicalizes it: every pair decoded, re-encoded (RFC 3986), sorted.
function canonicalQuery(raw, skip) {
  if (!raw) return '';
  return raw.split('&').filter(p => p.length > 0).map(p => {
    const eq = p.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? p : p.slice(0, eq));
    const v = eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1));
    return [k, v];
  }).filter(([k]) => k !== skip).map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
}

function verify(ctx) {
  const [path, rawQuery] = ctx.req.url.split(/\?(.*)/s);
  const auth = ctx.get('authorization');
  let credential, signedHeaders, signature, amzDate, payloadHash;
  const query = new URLSearchParams(rawQuery || '');
  if (auth) {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(auth);
    if (!m) return fail(ctx, 400, 'AuthorizationHeaderMalformed', 'expected an AWS4-HMAC-SHA256 Authorization header');
    [, credential, signedHeaders, signature] = m;
    amzDate = ctx.get('x-amz-date');
    payloadHash = ctx.get('x-amz-content-sha256');
    if (!payloadHash) return fail(ctx, 400, 'InvalidRequest', 'missing x-amz-content-sha256');
    if (payloadHash.startsWith('STREAMING-')) return fail(ctx, 501, 'NotImplemented', 'this stand-in cannot decode aws-chunked bodies');
  } else if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    credential = query.get('X-Amz-Credential');
    signedHeaders = query.get('X-Amz-SignedHeaders');
    signature = query.get('X-Amz-Signature');
    amzDate = query.get('X-Amz-Date');
    payloadHash = 'UNSIGNED-PAYLOAD';
    const t = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (!(t + Number(query.get('X-Amz-Expires')) * 1000 > Date.now())) return fail(ctx, 403, 'AccessDenied', 'Request has expired');
  } else {
    return fail(ctx, 403, 'AccessDenied', 'Access Denied (anonymous requests are refused: the bucket is private)');
  }

  const [accessKey, date, region, service, terminal] = credential.split('/');
  if (accessKey !== ACCESS_KEY) return fail(ctx, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  const headers = signedHeaders.split(';').map(h => `${h}:${(ctx.get(h) || '').trim().replace(/ +/g, ' ')}\n`).join('');
  const canonical = [ctx.method, path, canonicalQuery(rawQuery, auth ? null : 'X-Amz-Signature'), headers, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/${terminal}`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + SECRET_KEY, date), region), service), terminal);
  const expected = crypto.createHmac('sha256', key).update(toSign).digest('hex');
  if (expected !== signature) {
    return fail(ctx, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  }

  return true;
}

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(args.port),
  directory: args.directory,
  silent: true,
  vhostBuckets: false,
  configureBuckets: [{ name: args.bucket, configs: [] }],
});
const counts = {};
if (args.count) {
  process.on('SIGTERM', () => {
    require('fs').writeFileSync(args.count, JSON.stringify(counts) + '\n');
    process.exit(0);
  });
}
server.middleware.unshift(async (ctx, next) => {
  counts[ctx.method] = (counts[ctx.method] || 0) + 1;
  if (args['log-requests'] === 'true') console.log(`REQ ${ctx.method} ${ctx.url}`);
  if (verify(ctx) !== true) return;
  const copy = ctx.headers['x-amz-copy-source'];
  if (copy) ctx.headers['x-amz-copy-source'] = encodeURI(decodeURIComponent(copy));
  // Checked here: s3rver's own (V2-only) check must not run again on the rewritten request.
  delete ctx.headers.authorization;
  for (const k of Object.keys(ctx.query)) if (k.startsWith('X-Amz-')) delete ctx.query[k];
  await next();
});
// What s3rver answers 500 for, with its cause (it is silent otherwise): the tests print the server's log on failure.
server.on('error', (err, ctx) => console.error(`ERR ${ctx && ctx.method} ${ctx && ctx.url}: ${err && err.stack}`));
server.run().then(() => console.log('ready'), e => { console.error(e); process.exit(1); });
