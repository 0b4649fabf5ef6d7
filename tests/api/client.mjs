// A small API client for the tests: a cookie jar of one session, the CSRF token, a movable clock
// (MAMORI_NOW=@FILE) and helpers to bring an account through its first login.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { freshDataDir, init, run } from '../lib/mamori.mjs'

export class Client {
  constructor(url) {
    this.url = url
    this.cookie = null
    this.csrf = null
  }

  async req(method, path, body, { csrf = true, headers = {} } = {}) {
    const h = { ...headers }
    if (this.cookie) h.cookie = this.cookie
    if (csrf && this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf
    if (body !== undefined) h['content-type'] = 'application/json'
    const res = await fetch(this.url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
    const set = res.headers.get('set-cookie')
    if (set) {
      const m = set.match(/^mamori_session=([^;]*)/)
      this.cookie = m && m[1] && !/Max-Age=0/.test(set) ? `mamori_session=${m[1]}` : null
      this.setCookie = set
    }
    const text = await res.text()
    let json = null
    try { json = text ? JSON.parse(text) : null } catch { json = null }
    return { status: res.status, body: json, text, headers: res.headers }
  }

  get(p) { return this.req('GET', p) }
  post(p, b = {}) { return this.req('POST', p, b) }
  patch(p, b) { return this.req('PATCH', p, b) }
  put(p, b) { return this.req('PUT', p, b) }
  del(p) { return this.req('DELETE', p) }

  async login(login, password, totp) {
    const r = await this.req('POST', '/api/session', totp ? { login, password, totp } : { login, password })
    if (r.status === 201) this.csrf = r.body.csrf_token
    return r
  }
}

// The test clock: a file holding the time, read by the server at every call.
export class Clock {
  constructor(dir, start = '2027-04-01T09:00:00+09:00') {
    this.file = join(dir, 'now.txt')
    this.ms = Date.parse(start)
    this.write()
  }
  write() { writeFileSync(this.file, new Date(this.ms).toISOString()) }
  advance(seconds) { this.ms += seconds * 1000; this.write() }
  get env() { return { MAMORI_NOW: '@' + this.file } }
  get epoch() { return Math.floor(this.ms / 1000) }
}

// The current TOTP code for a base32 secret, computed by Debian's oathtool at the test clock.
export function totp(secret, clock, offsetSteps = 0) {
  return execFileSync('oathtool', ['--totp', '-b', secret, '-N', `@${clock.epoch + offsetSteps * 30}`], { encoding: 'utf8' }).trim()
}

// Cheaper Argon2 settings for tests that log in often (a profile value like any other).
export function fastArgon(dataDir) {
  const file = join(dataDir, 'policy.ini')
  const text = readFileSync(file, 'utf8')
    .replace(/^opslimit\s*=.*$/m, 'opslimit = 1 | test')
    .replace(/^memlimit_mib\s*=.*$/m, 'memlimit_mib = 8 | test')
  writeFileSync(file, text, { mode: 0o600 })
}

export function setPolicy(dataDir, section, key, value) {
  const file = join(dataDir, 'policy.ini')
  const lines = readFileSync(file, 'utf8').split('\n')
  let inSec = false
  let done = false
  for (let i = 0; i < lines.length; i++) {
    if (/^\[/.test(lines[i])) inSec = lines[i].trim() === `[${section}]`
    else if (inSec && new RegExp(`^${key}\\s*=`).test(lines[i])) {
      lines[i] = `${key} = ${value} | test`
      done = true
    }
  }
  assert.ok(done, `no ${section}.${key}`)
  writeFileSync(file, lines.join('\n'), { mode: 0o600 })
}

export const STRONG = 'Kx7#mQ2v!Lp9zR'
export const STRONG2 = 'Tz4$wN8q@Hc3vB'

// Brings a signed-in client past its restrictions: changes the one-time password and, when the
// account needs it, enrols TOTP. Returns {password, secret, recovery}.
export async function firstLogin(c, login, oneTime, clock, newPassword = STRONG) {
  let r = await c.login(login, oneTime)
  assert.equal(r.status, 201, `first login of ${login}: ${r.text}`)
  r = await c.post('/api/session/password', { current_password: oneTime, new_password: newPassword })
  assert.equal(r.status, 204, `password change of ${login}: ${r.text}`)
  const s = await c.get('/api/session')
  let secret = null
  let recovery = null
  if (s.body.account.mfa_enrolment_required) {
    r = await c.post('/api/session/mfa', {})
    assert.equal(r.status, 201, r.text)
    secret = r.body.secret
    r = await c.post('/api/session/mfa/confirm', { code: totp(secret, clock) })
    assert.equal(r.status, 200, r.text)
    recovery = r.body.recovery_codes
    clock.advance(30) // the next login needs a fresh step
  }
  return { password: newPassword, secret, recovery }
}

// A data directory with test-speed Argon2, its clock, and the officer's one-time credentials.
export function setup(extraInit = []) {
  const dir = freshDataDir()
  const admin = init(dir, extraInit)
  fastArgon(dir)
  const clock = new Clock(dirname(dir))
  return { dir, admin, clock }
}
export { run }

// "field:rule" of every error of a problem answer, sorted.
export const errorsOf = (r) => (r.body?.errors || []).map((e) => `${e.field}:${e.rule}`).sort()

// Every file below dir (to search a data directory's bytes).
export function files(dir) {
  const out = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...files(p))
    else out.push(p)
  }
  return out
}
