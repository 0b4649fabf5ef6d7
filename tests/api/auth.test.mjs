// Identity and access from the outside (issue: people, roles, login security, MFA, authorisation):
// first login, forced change, each password rule, history, MFA, lockout by class and its duration,
// idle timeout and lifetime, the leaver rule, CSRF, issuance approvers, and no secret at rest.
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { startServer } from '../lib/mamori.mjs'
import { Client, STRONG, STRONG2, firstLogin, run, setPolicy, setup, totp } from './client.mjs'
import { sql } from './sql.mjs'

const GENERIC = 'credentials'

async function env(extraInit = [], tweak = () => {}) {
  const s = setup(extraInit)
  tweak(s.dir)
  s.server = await startServer(s.dir, { env: s.clock.env })
  s.c = new Client(s.server.url)
  return s
}

// Adds a person and issues an account through the API as the signed-in officer.
async function issue(c, { employee_no, login, roles, extra = {} }) {
  let r = await c.post('/api/people', { employee_no, name: '山田 太郎', name_kana: 'ヤマダ タロウ', employment_type: 'regular', phone: '03-1234-5678', birthday: '1990-04-01', email: `${login}@example.jp`, ...extra })
  assert.equal(r.status, 201, r.text)
  const person = r.body.id
  r = await c.post('/api/accounts', { person_id: person, login, roles })
  assert.equal(r.status, 201, r.text)
  return { person, id: r.body.id, password: r.body.password }
}

test('first login: one-time password → restricted session; weak passwords refused naming the rule', async () => {
  const { server, c, admin, clock, dir } = await env()
  try {
    let r = await c.login(admin.login, admin.password)
    assert.equal(r.status, 201, r.text)
    assert.match(r.headers.get('set-cookie'), /^mamori_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict$/)
    assert.ok(r.body.csrf_token.length >= 40)
    assert.equal(r.body.account.must_change_password, true)
    assert.equal(r.body.account.privileged, true)
    assert.equal(r.body.account.mfa_enrolment_required, true)
    assert.equal(r.body.idle_timeout_seconds, 300)
    // a restricted session can do nothing else
    r = await c.get('/api/people')
    assert.equal(r.status, 403)
    assert.equal(r.body.rule, 'restricted')
    // each weak kind is refused with its rule (privileged: 12 characters, all four classes)
    for (const [pw, rule] of [
      ['Ab1#defgh', 'min_length'],
      ['abcdefgh1234#', 'classes'],
      [`X9#${admin.login}Qz7!Lm`, 'personal'],
      ['Password123!', 'dictionary'],
      [admin.password, 'history'],
    ]) {
      r = await c.post('/api/session/password', { current_password: admin.password, new_password: pw })
      assert.equal(r.status, 422, `${pw}: ${r.text}`)
      assert.ok(r.body.errors.some((e) => e.field === 'new_password' && e.rule === rule), `${pw} → ${rule}: ${JSON.stringify(r.body.errors)}`)
      assert.ok(r.body.errors.every((e) => e.message_ja), 'each rule in Japanese')
    }
    // the wrong current password is refused and counted
    r = await c.post('/api/session/password', { current_password: 'nope', new_password: STRONG })
    assert.equal(r.status, 422)
    assert.equal(r.body.errors[0].field, 'current_password')
    // the live check lists every rule with met true/false
    r = await c.post('/api/session/password/check', { password: 'short' })
    assert.equal(r.status, 200)
    assert.deepEqual(r.body.rules.map((x) => x.rule), ['min_length', 'classes', 'personal', 'dictionary', 'history'])
    assert.equal(r.body.rules.find((x) => x.rule === 'min_length').met, false)
    assert.equal(r.body.rules.find((x) => x.rule === 'min_length').text, '12文字以上')
    r = await c.post('/api/session/password', { current_password: admin.password, new_password: STRONG })
    assert.equal(r.status, 204, r.text)
    // still restricted until the second factor is enrolled (privileged)
    r = await c.get('/api/people')
    assert.equal(r.status, 403)
    r = await c.post('/api/session/mfa', {})
    assert.equal(r.status, 201)
    assert.match(r.body.otpauth_uri, /^otpauth:\/\/totp\/mamori:officer\?secret=[A-Z2-7]+&issuer=mamori/)
    assert.match(r.body.qr_svg, /^<svg[^>]*viewBox/)
    const secret = r.body.secret
    r = await c.post('/api/session/mfa/confirm', { code: '000000' === totp(secret, clock) ? '111111' : '000000' })
    assert.equal(r.status, 422)
    r = await c.post('/api/session/mfa/confirm', { code: totp(secret, clock) })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.recovery_codes.length, 10)
    r = await c.get('/api/people')
    assert.equal(r.status, 200, r.text)
    // audit events of all of it
    const actions = sql(dir, "SELECT group_concat(action, ' ') FROM audit_event;")
    for (const a of ['login.success', 'password.change', 'mfa.enrol_start', 'mfa.enable', 'access.denied'])
      assert.ok(actions.includes(a), `${a} in ${actions}`)
    // login again: the code is required, then accepted once
    clock.advance(30)
    assert.equal((await c.del('/api/session')).status, 204)
    assert.equal((await c.get('/api/session')).status, 401)
    r = await c.login(admin.login, STRONG)
    assert.equal(r.status, 401)
    assert.equal(r.body.rule, 'mfa_required')
    const code = totp(secret, clock)
    r = await c.login(admin.login, STRONG, code)
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.account.must_change_password, false)
    r = await new Client(server.url).login(admin.login, STRONG, code)
    assert.equal(r.status, 401, 'the same code cannot be used twice')
    assert.equal(r.body.rule, 'mfa_invalid')
  } finally {
    assert.equal(await server.stop(), 0)
  }
})

test('recovery codes work once each', async () => {
  const { server, c, admin, clock } = await env()
  try {
    const { recovery } = await firstLogin(c, admin.login, admin.password, clock)
    const d = new Client(server.url)
    let r = await d.login(admin.login, STRONG, recovery[0].toLowerCase())
    assert.equal(r.status, 201, r.text)
    r = await new Client(server.url).login(admin.login, STRONG, recovery[0])
    assert.equal(r.status, 401)
  } finally {
    await server.stop()
  }
})

test('missing or wrong CSRF token → 403 on every mutating request', async () => {
  const { server, c, admin, clock } = await env()
  try {
    await firstLogin(c, admin.login, admin.password, clock)
    for (const [m, p, b] of [['POST', '/api/people', { employee_no: 'E1' }], ['POST', '/api/journal', { text: 'x' }], ['DELETE', '/api/session'], ['PUT', '/api/accounts/1/roles', { roles: [] }]]) {
      let r = await c.req(m, p, b, { csrf: false })
      assert.equal(r.status, 403, `${m} ${p}`)
      assert.match(r.body.detail, /X-CSRF-Token/)
      r = await c.req(m, p, b, { csrf: false, headers: { 'x-csrf-token': 'forged' } })
      assert.equal(r.status, 403)
    }
    assert.equal((await c.get('/api/session')).status, 200, 'the session survived')
  } finally {
    await server.stop()
  }
})

test('lockout by class: general 5 failures → 1 hour, privileged 3 → 6 hours; never reveals the login', async () => {
  const s = await env()
  const { server, c, admin, clock } = s
  try {
    await firstLogin(c, admin.login, admin.password, clock)
    const emp = await issue(c, { employee_no: 'E100', login: 'sato', roles: ['employee'] })
    const issued = await issue(c, { employee_no: 'E200', login: 'suzuki', roles: ['sysadmin'] })
    const e = new Client(server.url)
    await firstLogin(e, 'sato', emp.password, clock)
    const sec = await firstLogin(new Client(server.url), 'suzuki', issued.password, clock)
    const unknown = await new Client(server.url).login('nobody-here', 'whatever')
    for (let i = 0; i < 5; i++) {
      const r = await new Client(server.url).login('sato', 'wrong-password')
      assert.equal(r.status, 401)
      assert.equal(r.body.rule, GENERIC)
      assert.deepEqual(r.body, unknown.body, 'the same answer as for an unknown login')
    }
    let r = await new Client(server.url).login('sato', STRONG)
    assert.equal(r.status, 401, 'locked: even the right password is refused')
    assert.deepEqual(r.body, unknown.body)
    clock.advance(59 * 60)
    assert.equal((await new Client(server.url).login('sato', STRONG)).status, 401)
    clock.advance(61)
    assert.equal((await new Client(server.url).login('sato', STRONG)).status, 201, 'unlocked after 1 hour')
    // privileged: 3 failures, 6 hours
    for (let i = 0; i < 3; i++) await new Client(server.url).login('suzuki', 'wrong')
    const s2 = new Client(server.url)
    clock.advance(5 * 3600 + 59 * 60)
    assert.equal((await s2.login('suzuki', STRONG)).status, 401, 'still locked before 6 hours')
    clock.advance(61)
    assert.equal((await s2.login('suzuki', STRONG, totp(sec.secret, clock))).status, 201, 'unlocked after 6 hours')
    const actions = sql(s.dir, "SELECT group_concat(action, ' ') FROM audit_event;")
    for (const a of ['login.failure', 'account.lock'])
      assert.ok(actions.includes(a), `${a} in ${actions}`)
  } finally {
    await server.stop()
  }
})

test('idle timeout (5 minutes) and lifetime end the session; the reason is given', async () => {
  const { server, c, admin, clock } = await env()
  try {
    await firstLogin(c, admin.login, admin.password, clock)
    clock.advance(4 * 60 + 20) // firstLogin already moved 30 s past the last request
    assert.equal((await c.get('/api/session')).status, 200, 'activity within 5 minutes keeps it')
    clock.advance(5 * 60)
    const r = await c.get('/api/session')
    assert.equal(r.status, 401)
    assert.equal(r.body.rule, 'idle_timeout')
    assert.match(r.headers.get('set-cookie'), /Max-Age=0/)
    assert.equal((await c.get('/api/session')).status, 401, 'an ended session stays ended')
  } finally {
    await server.stop()
  }
})

test('a leaver loses access from the day after the leave date (004 ch5 §4)', async () => {
  const { server, c, admin, clock } = await env()
  try {
    await firstLogin(c, admin.login, admin.password, clock)
    const emp = await issue(c, { employee_no: 'E300', login: 'tanaka', roles: ['employee'] })
    const e = new Client(server.url)
    await firstLogin(e, 'tanaka', emp.password, clock)
    // today (2027-04-01 JST) is the leave date: still allowed today
    let r = await c.patch(`/api/people/${emp.person}`, { left_on: '2027-04-01' })
    assert.equal(r.status, 200, r.text)
    assert.equal((await e.get('/api/session')).status, 200)
    // midnight JST: the session ends and login is refused with the generic answer
    clock.ms = Date.parse('2027-04-02T00:00:00+09:00'); clock.write()
    r = await e.get('/api/session')
    assert.equal(r.status, 401)
    assert.equal(r.body.rule, 'access_ended')
    r = await new Client(server.url).login('tanaka', STRONG)
    assert.equal(r.status, 401)
    assert.equal(r.body.rule, GENERIC)
  } finally {
    await server.stop()
  }
})

test('issuance: approver per profile, forbidden names, one account per person, logins never reused, NDA for non-employees', async () => {
  const { server, c, admin, clock } = await env()
  try {
    await firstLogin(c, admin.login, admin.password, clock)
    let r = await c.post('/api/people', { employee_no: 'E400', name: '高橋 花子', name_kana: 'タカハシ ハナコ', employment_type: 'regular' })
    const p = r.body.id
    for (const login of ['admin', 'administrator', 'root', 'guest']) {
      r = await c.post('/api/accounts', { person_id: p, login })
      assert.equal(r.status, 422)
      assert.equal(r.body.errors[0].rule, 'forbidden_login')
    }
    r = await c.post('/api/accounts', { person_id: p, login: 'takahashi' })
    assert.equal(r.status, 201)
    r = await c.post('/api/accounts', { person_id: p, login: 'takahashi2' })
    assert.equal(r.status, 422)
    assert.equal(r.body.errors[0].rule, 'one_per_person')
    r = await c.post(`/api/accounts/${r.body?.id ?? 2}/disable`, { reason: '退職' })
    const other = (await c.post('/api/people', { employee_no: 'E401', name: '伊藤 次郎', name_kana: 'イトウ ジロウ', employment_type: 'regular' })).body.id
    r = await c.post('/api/accounts', { person_id: other, login: 'takahashi' })
    assert.equal(r.status, 422)
    assert.equal(r.body.errors[0].rule, 'unique')
    const ext = (await c.post('/api/people', { employee_no: 'X1', name: '外部 委託', name_kana: 'ガイブ イタク', employment_type: 'external' })).body.id
    r = await c.post('/api/accounts', { person_id: ext, login: 'vendor1' })
    assert.equal(r.status, 422)
    assert.equal(r.body.errors[0].rule, 'nda')
    assert.equal((await c.patch(`/api/people/${ext}`, { nda_on: '2027-03-01' })).status, 200)
    assert.equal((await c.post('/api/accounts', { person_id: ext, login: 'vendor1' })).status, 201)
    // a sysadmin may manage accounts but not issue them (ipa-sme: ceo or security_officer)
    const sa = await issue(c, { employee_no: 'E402', login: 'watanabe', roles: ['sysadmin'] })
    const s = new Client(server.url)
    await firstLogin(s, 'watanabe', sa.password, clock)
    r = await s.post('/api/accounts', { person_id: other, login: 'ito' })
    assert.equal(r.status, 403)
    // nobody changes their own roles
    r = await c.get('/api/session')
    r = await c.put(`/api/accounts/${r.body.account.id}/roles`, { roles: ['ceo'] })
    assert.equal(r.status, 403)
  } finally {
    await server.stop()
  }
})

test('changing the profile changes who may issue accounts (standard-2016: only the CEO)', async () => {
  const { server, c, admin, clock } = await env(['--profile', 'standard-2016'])
  try {
    await firstLogin(c, admin.login, admin.password, clock)
    const r = await c.post('/api/people', { employee_no: 'E1', name: '中村 三郎', name_kana: 'ナカムラ サブロウ', employment_type: 'regular' })
    const a = await c.post('/api/accounts', { person_id: r.body.id, login: 'nakamura' })
    assert.equal(a.status, 403, 'the security officer is not an approver under 002 第9条')
  } finally {
    await server.stop()
  }
})

test('history: a password used within the window cannot come back', async () => {
  const { server, c, admin, clock } = await env()
  try {
    await firstLogin(c, admin.login, admin.password, clock)
    let r = await c.post('/api/session/password', { current_password: STRONG, new_password: STRONG2 })
    assert.equal(r.status, 204, r.text)
    r = await c.post('/api/session/password', { current_password: STRONG2, new_password: STRONG })
    assert.equal(r.status, 422)
    assert.equal(r.body.errors[0].rule, 'history')
  } finally {
    await server.stop()
  }
})

test('no password, TOTP secret, recovery code or session token is stored in clear or logged', async () => {
  const { server, c, admin, clock, dir } = await env()
  let stop
  try {
    const { secret, recovery } = await firstLogin(c, admin.login, admin.password, clock)
    const emp = await issue(c, { employee_no: 'E500', login: 'kato', roles: ['employee'] })
    await c.post('/api/journal', { text: 'テスト' })
    const token = c.cookie.split('=')[1]
    stop = await server.stop()
    const needles = [admin.password, STRONG, secret, ...recovery, recovery[0].replace('-', ''), token, c.csrf, emp.password]
    const files = readdirSync(dir).filter((f) => f.startsWith('mamori.db')).map((f) => join(dir, f))
    const haystacks = [...files.map((f) => readFileSync(f).toString('latin1')), server.stdout, server.stderr,
      sql(dir, 'SELECT group_concat(details) FROM audit_event;')]
    for (const n of needles) for (const h of haystacks) assert.ok(!h.includes(n), `a secret (${n.slice(0, 3)}…) is stored or logged`)
  } finally {
    if (stop === undefined) await server.stop()
  }
})

test('the CLI manages people and accounts for first setup', () => {
  const { dir } = setup()
  let r = run(['people', 'add', '--data', dir, '--employee-no', 'E9', '--name', '小林 四郎', '--kana', 'コバヤシ シロウ', '--type', 'regular'])
  assert.equal(r.code, 0, r.stderr)
  const id = r.stdout.trim()
  r = run(['people', 'add', '--data', dir, '--employee-no', 'E9', '--name', 'x', '--kana', 'abc', '--type', 'boss'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /employee_no: .*already used/)
  assert.match(r.stderr, /name_kana: .*kana/)
  assert.match(r.stderr, /employment_type: .*one of/)
  r = run(['account', 'create', '--data', dir, '--person', id, '--login', 'kobayashi', '--role', 'sysadmin', '--role', 'employee'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^login: kobayashi\npassword: \S{16}\n$/)
  r = run(['account', 'list', '--json', '--data', dir])
  const acc = JSON.parse(r.stdout).find((a) => a.login === 'kobayashi')
  assert.deepEqual(acc.roles, ['sysadmin', 'employee'])
  assert.equal(acc.state, 'must_change_password')
  assert.equal(run(['account', 'roles', 'kobayashi', 'auditor', '--data', dir]).code, 0)
  assert.equal(run(['account', 'disable', 'kobayashi', '--data', dir]).code, 2, 'a reason is required')
  assert.equal(run(['account', 'disable', 'kobayashi', '--reason', '異動', '--data', dir]).code, 0)
  assert.equal(JSON.parse(run(['account', 'list', '--json', '--data', dir]).stdout).find((a) => a.login === 'kobayashi').state, 'disabled')
  assert.equal(run(['account', 'create', '--data', dir, '--person', id, '--login', 'root']).code, 2)
})

test('Argon2 hashes are remade at login when the profile changes its settings', async () => {
  const { server, c, admin, dir } = await env()
  try {
    const before = sql(dir, `SELECT password_hash FROM account WHERE login = '${admin.login}';`)
    assert.match(before, /m=65536/)
    assert.equal((await c.login(admin.login, admin.password)).status, 201)
    assert.match(sql(dir, `SELECT password_hash FROM account WHERE login = '${admin.login}';`), /m=8192,t=1/)
  } finally {
    await server.stop()
  }
})
