// The duties calendar and the violation checks from the outside (src/workflow/): with the test clock
// moving forward, each periodic duty becomes due, overdue and done; each violation appears and clears
// as the ledgers change; `mamori check [--json]` and GET /api/check agree and exit 3 / 0.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { dirname } from 'node:path'
import { freshDataDir, startServer } from '../lib/mamori.mjs'
import { Client, Clock, fastArgon, firstLogin, run, totp } from './client.mjs'
import { sql } from './sql.mjs'

// A server with the officer and one account per role, each with a person E0001, E0002, ...
// The data directory is made at the test clock's start (2027-04-01 09:00 JST): the first cycle of
// every periodic duty counts from it.
async function world(roles) {
  const dir = freshDataDir()
  const clock = new Clock(dirname(dir))
  const made = run(['init', '--data', dir], { env: clock.env })
  assert.equal(made.code, 0, made.stderr)
  const admin = { login: made.stdout.match(/^login: (.+)$/m)[1].trim(), password: made.stdout.match(/^password: (.+)$/m)[1].trim() }
  fastArgon(dir)
  const w = { dir, clock, who: {} }
  w.server = await startServer(dir, { env: clock.env })
  const officer = new Client(w.server.url)
  w.who.officer = { c: officer, login: admin.login, ...(await firstLogin(officer, admin.login, admin.password, clock)) }
  let n = 0
  for (const role of roles) {
    n++
    const p = await officer.post('/api/people', { employee_no: `E${String(n).padStart(4, '0')}`, name: `社員 ${n}`, name_kana: 'シャイン', employment_type: 'regular' })
    assert.equal(p.status, 201, p.text)
    const login = `u${n}${role.replace(/_/g, '')}`
    const a = await officer.post('/api/accounts', { person_id: p.body.id, login, roles: [role] })
    assert.equal(a.status, 201, a.text)
    const c = new Client(w.server.url)
    w.who[role] = { c, login, person: p.body.id, account: a.body.id, ...(await firstLogin(c, login, a.body.password, clock)) }
  }
  // Moves the clock to a Japan time and signs everyone in again (sessions end after 5 idle minutes).
  w.at = async (jst) => {
    clock.ms = Date.parse(`${jst}+09:00`)
    clock.write()
    for (const a of Object.values(w.who).filter((a) => !a.left)) {
      a.c = new Client(w.server.url)
      const r = await a.c.login(a.login, a.password, a.secret ? totp(a.secret, clock) : undefined)
      assert.equal(r.status, 201, `${a.login} at ${jst}: ${r.text}`)
    }
  }
  w.check = () => {
    const r = run(['check', '--json', '--data', dir], { env: clock.env })
    assert.ok(r.code === 0 || r.code === 3, `mamori check: exit ${r.code}: ${r.stderr}`)
    return { code: r.code, body: JSON.parse(r.stdout) }
  }
  w.stop = async () => assert.equal(await w.server.stop(), 0, w.server.stderr)
  return w
}

const duty = async (c, code, targetId) => {
  const r = await c.get('/api/duties')
  assert.equal(r.status, 200, r.text)
  return r.body.items.find((d) => d.code === code && (targetId === undefined || d.target?.id === targetId))
}
const codes = (list) => list.map((x) => x.code).sort()

test('periodic duties: upcoming, due, overdue, done; completion by the owner, audited', async () => {
  const w = await world(['sysadmin', 'education_lead', 'auditor', 'employee'])
  try {
    const { sysadmin, education_lead, officer, employee } = w.who
    // ipa-sme: the monthly log review counts from the creation of the data directory (2027-04-01);
    // the security audit's cycle is unset there, so it is not tracked
    let d = await duty(sysadmin.c, 'log_review')
    assert.deepEqual([d.kind, d.due, d.state, d.owner, d.cycle, d.last_completion], ['periodic', '2027-05-01', 'upcoming', 'sysadmin', '1mo', null])
    assert.match(d.source, /000 【５】/)
    assert.equal(await duty(sysadmin.c, 'security_audit'), undefined)
    assert.equal((await duty(sysadmin.c, 'handler_training')).due, '2028-04-01')
    let c = w.check()
    assert.equal(c.code, 0, JSON.stringify(c.body))
    assert.equal((await officer.c.get('/api/check')).body.findings, 0)

    await w.at('2027-04-20T09:00:00')
    assert.equal((await duty(sysadmin.c, 'log_review')).state, 'due')
    assert.equal(w.check().code, 0)

    await w.at('2027-05-02T09:00:00')
    assert.equal((await duty(sysadmin.c, 'log_review')).state, 'overdue')
    c = w.check()
    assert.equal(c.code, 3)
    assert.deepEqual(codes(c.body.duties), ['log_review'])
    const api = await officer.c.get('/api/check')
    assert.equal(api.status, 200, api.text)
    assert.deepEqual(codes(api.body.duties), ['log_review'])
    assert.equal(api.body.findings, 1)
    const text = run(['check', '--data', w.dir], { env: w.clock.env })
    assert.equal(text.code, 3)
    assert.match(text.stdout, /期限超過/)
    assert.match(text.stdout, /アクセスログ/)

    // only the owner role (or the security officer) records it; the evidence is required
    let r = await education_lead.c.post('/api/duties/log_review/completions', { evidence: '確認した' })
    assert.equal(r.status, 403, r.text)
    r = await employee.c.post('/api/duties/log_review/completions', { evidence: '確認した' })
    assert.equal(r.status, 403, r.text)
    r = await sysadmin.c.post('/api/duties/log_review/completions', { evidence: '  ' })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.errors[0].field, 'evidence')
    r = await sysadmin.c.post('/api/duties/security_audit/completions', { evidence: '監査した' })
    assert.equal(r.status, 422, r.text)
    r = await sysadmin.c.post('/api/duties/no_such/completions', { evidence: 'x' })
    assert.equal(r.status, 404, r.text)
    assert.equal(sql(w.dir, 'SELECT count(*) FROM duty_completion;'), '0')
    r = await sysadmin.c.post('/api/duties/log_review/completions', { evidence: '4月分のアクセスログ・FWログを点検（保存先 \\\\nas\\logs\\2027-04）', findings: '不正アクセスの形跡なし' })
    assert.equal(r.status, 201, r.text)
    assert.deepEqual([r.body.state, r.body.due, r.body.last_completion.completed_by, r.body.last_completion.due_on], ['done', '2027-06-02', sysadmin.login, '2027-05-01'])
    assert.equal(r.body.last_completion.findings, '不正アクセスの形跡なし')
    assert.equal(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'duty.complete' AND target_id = 'log_review' AND actor = '" + sysadmin.login + "';"), '1')
    assert.equal(w.check().code, 0)
    // the security officer may record any duty
    r = await officer.c.post('/api/duties/education_plan/completions', { evidence: '2027年度の教育計画を作成' })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.due, '2028-05-02')

    // done until it is due again; overdue a month later
    await w.at('2027-05-25T09:00:00')
    assert.equal((await duty(education_lead.c, 'log_review')).state, 'due')
    await w.at('2027-06-03T09:00:00')
    assert.equal((await duty(sysadmin.c, 'log_review')).state, 'overdue')
    assert.equal((await duty(sysadmin.c, 'education_plan')).state, 'done')
    assert.equal(w.check().code, 3)

    // who may read what
    assert.equal((await employee.c.get('/api/check')).status, 403)
    assert.equal((await employee.c.get('/api/duties')).status, 403)
    assert.equal((await education_lead.c.get('/api/check')).status, 403)
    assert.equal((await w.who.auditor.c.get('/api/check')).status, 200)
  } finally {
    await w.stop()
  }
})

test('violations appear and clear: a leaver, a take-out, a device, software, a vendor, a key', async () => {
  const w = await world(['sysadmin', 'employee', 'dept_head', 'security_officer'])
  try {
    const { officer, sysadmin, employee, dept_head, security_officer } = w.who
    const violations = async (code) => {
      const api = (await officer.c.get('/api/check')).body
      const cli = w.check()
      assert.deepEqual(codes(cli.body.violations), codes(api.violations), 'the CLI and the API agree')
      assert.equal(cli.code, api.findings > 0 ? 3 : 0)
      for (const v of api.violations) assert.ok(v.source && v.message && v.target, JSON.stringify(v))
      return api.violations.filter((v) => v.code === code)
    }
    // a leaver: left on 04-10; ipa-sme: disabled by the next day (revoke_deadline 1d)
    let r = await officer.c.patch(`/api/people/${employee.person}`, { left_on: '2027-04-10' })
    assert.equal(r.status, 200, r.text)
    employee.left = true // mamori ends the leaver's access itself from 04-11; no more sign-ins
    r = await sysadmin.c.post('/api/registers/user_ids/records', { system: 'ファイルサーバ', login: employee.login, person: employee.person, user_status: 'regular', access_rights: '営業部共有フォルダ（読み書き）', privileged: false, issued_on: '2027-04-01' })
    assert.equal(r.status, 201, r.text)
    const uid = r.body.id
    // a take-out of internal material approved by the department head, due back 04-11
    r = await employee.c.post('/api/registers/takeouts/records', { takeout_no: 'T-001', item: 'ノートPC', item_class: 'internal', person: employee.person, destination: '客先', purpose: '打合せ', planned_takeout: '2027-04-02', return_due: '2027-04-11', encrypted: true })
    assert.equal(r.status, 201, r.text)
    const tk = r.body.id
    r = await dept_head.c.post(`/api/registers/takeouts/records/${tk}/approvals`, { decision: 'approved', comment: '' })
    assert.equal(r.status, 200, r.text)
    r = await employee.c.patch(`/api/registers/takeouts/records/${tk}`, { takeout_time: '2027-04-02T09:00:00+09:00' })
    assert.equal(r.status, 200, r.text)
    // a PC whose screen lock waits 30 minutes (ipa-sme: 5)
    r = await sysadmin.c.post('/api/registers/devices/records', { asset_no: 'PC-030', kind: 'notebook', introduced_on: '2027-04-01', model: 'ThinkPad X1', location: '本社 2F', manager: sysadmin.person, status: 'in_use', screen_lock_minutes: 30 })
    assert.equal(r.status, 201, r.text)
    const pc = r.body.id
    // software: additional without permission; a key lent until 04-01 18:00
    r = await sysadmin.c.post('/api/registers/software/records', { software_no: 'SW-9', name: '画像編集ソフト', category: 'additional', device: pc })
    assert.equal(r.status, 201, r.text)
    const sw = r.body.id
    r = await security_officer.c.post('/api/registers/keys/records', { key_no: 'KEY-1', kind: 'server_room_key', room: 'サーバ室', holder: sysadmin.person, lent_time: '2027-04-01T09:00:00+09:00', due_time: '2027-04-01T18:00:00+09:00' })
    assert.equal(r.status, 201, r.text)
    const key = r.body.id

    assert.deepEqual(codes(await violations('screen_lock')), ['screen_lock'])
    assert.equal((await violations('software_unpermitted')).length, 1)
    assert.equal((await violations('key_overdue')).length, 0)
    assert.equal((await duty(officer.c, 'key_return', key)).state, 'due')

    await w.at('2027-04-01T18:30:00')
    assert.equal((await violations('key_overdue')).length, 1)
    r = await security_officer.c.patch(`/api/registers/keys/records/${key}`, { returned_time: '2027-04-01T18:20:00+09:00' })
    assert.equal(r.status, 200, r.text)
    assert.equal((await violations('key_overdue')).length, 0)
    assert.equal(await duty(officer.c, 'key_return', key), undefined)

    // the day of leaving and the next day: no violation; the day after the deadline: both
    await w.at('2027-04-10T17:00:00')
    assert.equal((await violations('leaver_account')).length, 0)
    await w.at('2027-04-11T17:00:00')
    assert.equal((await violations('leaver_account')).length, 0)
    assert.equal((await violations('leaver_user_id')).length, 0)
    assert.equal((await violations('takeout_overdue')).length, 0)
    assert.equal((await duty(officer.c, 'takeout_return', tk)).state, 'due')
    await w.at('2027-04-12T09:00:00')
    const la = await violations('leaver_account')
    assert.equal(la.length, 1)
    assert.equal(la[0].target.title, employee.login)
    assert.match(la[0].source, /004 5章4/)
    assert.equal((await violations('leaver_user_id')).length, 1)
    assert.equal((await violations('takeout_overdue')).length, 1)
    assert.equal((await duty(officer.c, 'takeout_return', tk)).state, 'overdue')
    // an overdue return is reported once, as a violation
    assert.equal((await officer.c.get('/api/check')).body.duties.filter((d) => d.code === 'takeout_return').length, 0)

    // put right: disable the account, disable the user id, return the take-out, fix the lock,
    // record the permission
    r = await sysadmin.c.post(`/api/accounts/${employee.account}/disable`, { reason: '退職' })
    assert.ok(r.status === 200 || r.status === 204, r.text)
    r = await sysadmin.c.patch(`/api/registers/user_ids/records/${uid}`, { disabled_on: '2027-04-12' })
    assert.equal(r.status, 200, r.text)
    // the leaver's own session has ended; the officer records the return
    r = await officer.c.patch(`/api/registers/takeouts/records/${tk}`, { returned_time: '2027-04-12T08:00:00+09:00' })
    assert.equal(r.status, 200, r.text)
    r = await sysadmin.c.patch(`/api/registers/devices/records/${pc}`, { screen_lock_minutes: 5 })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.screen_lock_over_limit, false)
    r = await sysadmin.c.patch(`/api/registers/software/records/${sw}`, { permitted_on: '2027-04-12', approver: sysadmin.person })
    assert.equal(r.status, 200, r.text)
    for (const code of ['leaver_account', 'leaver_user_id', 'takeout_overdue', 'screen_lock', 'software_unpermitted'])
      assert.equal((await violations(code)).length, 0, code)
    const c = w.check()
    assert.equal(c.code, 0, JSON.stringify(c.body))

    // a vendor with a criterion not yet assessed: the sysadmin (no vendors ledger) sees only a count
    r = await officer.c.post('/api/registers/vendors/records', { name: '株式会社委託', service: '給与計算', asset_class: 'secret', subcontracting: 'none', criterion_01: 'unrated', next_evaluation: '2028-04-01' })
    assert.equal(r.status, 201, r.text)
    assert.equal((await violations('vendor_unevaluated')).length, 1)
    const seen = (await sysadmin.c.get('/api/check')).body
    assert.equal(seen.violations.length, 0)
    assert.equal(seen.hidden, 1)
  } finally {
    await w.stop()
  }
})
