// Signs and verifies with the providers' own libraries, for tst_crosscheck.
// Reads a JSON array of cases on stdin, writes a JSON array of results on stdout.
//   {op: "sign", scheme, secret, body (base64), timestamp, id}   -> {headers: {name: value}}
//   {op: "verify", scheme, secret, body (base64), headers}       -> {valid: bool, error?: string}
import { sign as githubSign, verify as githubVerify } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

const stripe = new Stripe('sk_test_unused');

async function run(c) {
  const body = Buffer.from(c.body, 'base64');
  // The providers' libraries take the payload as a string; the bodies used here are UTF-8.
  const text = body.toString('utf8');
  switch (`${c.op}:${c.scheme}`) {
  case 'sign:github':
    return { headers: { 'X-Hub-Signature-256': await githubSign(c.secret, text) } };
  case 'verify:github':
    return { valid: await githubVerify(c.secret, text, c.headers['X-Hub-Signature-256']) };
  case 'sign:standard-webhooks': {
    const signature = new Webhook(c.secret).sign(c.id, new Date(c.timestamp * 1000), text);
    return { headers: { 'webhook-id': c.id, 'webhook-timestamp': String(c.timestamp), 'webhook-signature': signature } };
  }
  case 'verify:standard-webhooks':
    try {
      new Webhook(c.secret).verify(text, c.headers);
      return { valid: true };
    } catch (e) {
      return { valid: false, error: String(e.message || e) };
    }
  case 'sign:stripe':
    return { headers: { 'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload: text, secret: c.secret, timestamp: c.timestamp }) } };
  case 'verify:stripe':
    try {
      stripe.webhooks.constructEvent(body, c.headers['Stripe-Signature'], c.secret, 300);
      return { valid: true };
    } catch (e) {
      return { valid: false, error: String(e.message || e) };
    }
  default:
    throw new Error(`unknown case ${c.op}:${c.scheme}`);
  }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', async () => {
  const results = [];
  for (const c of JSON.parse(input)) results.push(await run(c));
  process.stdout.write(JSON.stringify(results));
});
