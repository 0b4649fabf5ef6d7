// The HTTP server from the outside: health, security headers, keep-alive, the embedded UI with
// its content types and caching, problem+json errors, size caps, graceful stop and TLS.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { BIN, freePort, freshDataDir, init, startServer } from '../lib/mamori.mjs'
import { sql } from './sql.mjs'

let server, dir

test.before(async () => {
  dir = freshDataDir()
  init(dir)
  server = await startServer(dir)
})
test.after(async () => {
  assert.equal(await server.stop(), 0, `serve did not exit cleanly:\n${server.stderr}`)
})

// Raw request through node:http, so headers and the socket are visible.
function request(path, { method = 'GET', body, headers = {}, agent } = {}) {
  return new Promise((ok, fail) => {
    // host/port/path rather than a URL, so that "/../" reaches the server un-normalised
    const req = http.request({ host: '127.0.0.1', port: server.port, path, method, headers, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), socket: req.socket }))
    })
    req.on('error', fail)
    if (body) req.write(body)
    req.end()
  })
}

test('GET /healthz reports ok, the version and the schema', async () => {
  const r = await request('/healthz')
  assert.equal(r.status, 200)
  assert.equal(r.headers['content-type'], 'application/json')
  const j = JSON.parse(r.body)
  assert.equal(j.status, 'ok')
  assert.match(j.version, /^\d+\.\d+\.\d+$/)
  assert.ok(Number.isInteger(j.schema) && j.schema >= 1)
})

test('every response carries the security headers; the CSP has no unsafe-inline', async () => {
  for (const path of ['/healthz', '/', '/nope', '/api/openapi.json']) {
    const r = await request(path)
    const csp = r.headers['content-security-policy']
    assert.ok(csp, path)
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.match(csp, /default-src 'self'/)
    assert.equal(r.headers['x-content-type-options'], 'nosniff')
    assert.equal(r.headers['referrer-policy'], 'no-referrer')
    assert.equal(r.headers['x-frame-options'], 'DENY')
    assert.equal(r.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP')
  }
})

test('keep-alive: several requests travel on one connection', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const sockets = new Set()
  for (let i = 0; i < 5; i++) {
    const r = await request(i % 2 ? '/healthz' : '/', { agent })
    assert.equal(r.status, 200)
    assert.notEqual(r.headers.connection, 'close')
    sockets.add(r.socket)
  }
  agent.destroy()
  assert.equal(sockets.size, 1)
})

test('the UI shell is served with the right types and caching', async () => {
  const index = await request('/')
  assert.equal(index.status, 200)
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8')
  assert.equal(index.headers['cache-control'], 'no-cache')
  const html = index.body.toString()
  assert.match(html, /<html lang="ja"/)
  assert.doesNotMatch(html, /<script>(?!<\/script>)|<style>| style="/, 'no inline script or style')
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1])
  assert.ok(assets.some((a) => a.endsWith('.js')))
  for (const a of assets) {
    const r = await request(a)
    assert.equal(r.status, 200, a)
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable')
    if (a.endsWith('.js')) assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8')
    if (a.endsWith('.css')) assert.equal(r.headers['content-type'], 'text/css; charset=utf-8')
  }
  assert.equal((await request('/assets/../index.html')).status, 404)
  assert.equal((await request('/assets/nope.js')).status, 404)
})

test('errors are application/problem+json', async () => {
  let r = await request('/api/nothing-here')
  assert.equal(r.status, 404)
  assert.equal(r.headers['content-type'], 'application/problem+json')
  assert.deepEqual(JSON.parse(r.body), { type: 'about:blank', title: 'Not found', status: 404, errors: [] })
  r = await request('/healthz', { method: 'DELETE' })
  assert.equal(r.status, 405)
  assert.equal(r.headers.allow, 'GET')
  assert.equal(r.headers['content-type'], 'application/problem+json')
})

test('request bodies are capped: 413 both for an announced and for a streamed oversize body', async () => {
  const big = Buffer.alloc(2 * 1024 * 1024, 'a')
  let r = await request('/healthz', { method: 'POST', body: big })
  assert.equal(r.status, 413)
  assert.equal(r.headers['content-type'], 'application/problem+json')
  r = await request('/healthz', { method: 'POST', body: big, headers: { 'transfer-encoding': 'chunked' } })
  assert.equal(r.status, 413)
  // and the server is still fine
  assert.equal((await request('/healthz')).status, 200)
})

test('GET /api/openapi.json describes the API, including these routes', async () => {
  const r = await request('/api/openapi.json')
  assert.equal(r.status, 200)
  const doc = JSON.parse(r.body)
  assert.equal(doc.openapi, '3.1.0')
  assert.ok(doc.paths['/healthz'].get)
  assert.ok(doc.paths['/api/openapi.json'].get)
})

test('server start is on the audit trail', () => {
  assert.match(sql(dir, "SELECT group_concat(action) FROM audit_event WHERE target_type = 'server';"), /server\.start/)
})

test('SIGTERM stops the server gracefully (exit 0) and records the stop', async () => {
  const d = freshDataDir()
  init(d)
  const s = await startServer(d)
  assert.equal(await s.stop(), 0)
  assert.equal(sql(d, "SELECT group_concat(action) FROM audit_event WHERE target_type = 'server';"), 'server.start,server.stop')
})

test('a bad --listen is a usage error naming the field', () => {
  const d = freshDataDir()
  init(d)
  const r = spawnSync(BIN, ['serve', '--data', d, '--listen', 'localhost'], { encoding: 'utf8' })
  assert.equal(r.status, 2)
  assert.match(r.stderr, /listen must be ADDRESS:PORT/)
})

test('TLS from certificate files, with HSTS', async () => {
  const d = freshDataDir()
  init(d)
  const cert = join(dirname(d), 'cert.pem')
  const key = join(dirname(d), 'key.pem')
  const g = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' })
  assert.equal(g.status, 0, g.stderr)
  const port = await freePort()
  const proc = spawn(BIN, ['serve', '--data', d, '--listen', `127.0.0.1:${port}`, '--tls-cert', cert, '--tls-key', key])
  let out = ''
  proc.stdout.on('data', (s) => (out += s))
  const exited = new Promise((r) => proc.once('exit', (c, s) => r(c ?? s)))
  for (let i = 0; i < 100 && !out.includes('listening'); i++) await new Promise((r) => setTimeout(r, 50))
  assert.match(out, new RegExp(`listening on https://127.0.0.1:${port}/`))
  const r = await new Promise((ok, fail) => {
    https.get(`https://127.0.0.1:${port}/healthz`, { ca: readFileSync(cert) }, (res) => {
      res.resume()
      res.on('end', () => ok(res))
    }).on('error', fail)
  })
  assert.equal(r.statusCode, 200)
  assert.equal(r.headers['strict-transport-security'], 'max-age=31536000')
  proc.kill('SIGTERM')
  assert.equal(await exited, 0)
})
