// The duties calendar and the violation checks from the outside (src/workflow/): with the test clock
// moving forward, each periodic duty becomes due, overdue and done; each violation appears and clears
// as the ledgers change; `mamori check [--json]` and GET /api/check agree and exit 3 / 0.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { run, setPolicy } from './client.mjs'
import { sql } from './sql.mjs'
import { world as shared } from './world.mjs'

// A server with the officer and one account per role, each with a person E0001, E0002, ...
// The data directory is made at the test clock's start (2027-04-01 09:00 JST): the first cycle of
// every periodic duty counts from it.
async function world(roles, initArgs = []) {
  const w = await shared(roles, { init: initArgs, names: Object.fromEntries(roles.map((r, i) => [r, `社員 ${i + 1}`])) })
  w.check = () => {
    const r = run(['check', '--json', '--data', w.dir], { env: w.clock.env })
    assert.ok(r.code === 0 || r.code === 3, `mamori check: exit ${r.code}: ${r.stderr}`)
    return { code: r.code, body: JSON.parse(r.stdout) }
  }
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
      for (const v of api.violations) assert.ok(v.source && v.message && v.target && v.owner && v.owner_source, JSON.stringify(v))
      // each violation says which role must act, as the CLI does
      assert.deepEqual(cli.body.violations.map((v) => [v.code, v.owner, v.owner_key]), api.violations.map((v) => [v.code, v.owner, v.owner_key]))
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

    // who must act: the role the profile's [violation] key names, with the regulation (ipa-sme: 004)
    const owner = (v) => [v.owner, v.owner_label, v.owners, v.owner_key]
    const lock = await violations('screen_lock')
    assert.deepEqual(codes(lock), ['screen_lock'])
    assert.deepEqual(owner(lock[0]), ['sysadmin', 'システム管理者', ['sysadmin'], '[violation] screen_lock'])
    assert.match(lock[0].owner_source, /004 ch7 §3\.2/)
    const soft = await violations('software_unpermitted')
    assert.equal(soft.length, 1)
    assert.deepEqual(owner(soft[0]), ['sysadmin', 'システム管理者', ['sysadmin'], '[violation] software_unpermitted'])
    assert.match(soft[0].owner_source, /004 ch7 §1\.1/)
    assert.equal((await violations('key_overdue')).length, 0)
    assert.equal((await duty(officer.c, 'key_return', key)).state, 'due')

    await w.at('2027-04-01T18:30:00')
    const late = await violations('key_overdue')
    assert.equal(late.length, 1)
    assert.deepEqual(owner(late[0]), ['security_officer', '情報セキュリティ責任者', ['security_officer'], '[violation] key_overdue'])
    assert.match(late[0].owner_source, /003 §6\.3\.4/)
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
    assert.deepEqual(owner(la[0]), ['sysadmin', 'システム管理者', ['sysadmin'], '[violation] leaver_account'])
    assert.match(la[0].owner_source, /004 ch5 §4/)
    const lu = await violations('leaver_user_id')
    assert.equal(lu.length, 1)
    assert.equal(lu[0].owner, 'sysadmin')
    // an overdue take-out: the approver of its class (社外秘: the department head, [takeout])
    const to = await violations('takeout_overdue')
    assert.equal(to.length, 1)
    assert.deepEqual(owner(to[0]), ['dept_head', '部門長', ['dept_head'], '[takeout] approver_confidential'])
    assert.match(to[0].owner_source, /004 ch3 §2/)
    // the text of mamori check names the owner too
    const text = run(['check', '--data', w.dir], { env: w.clock.env })
    assert.match(text.stdout, /持出物が返却予定日を過ぎても未返却: .* 担当: 部門長/)
    // the profile decides: another role for leavers' accounts, none for their user ids (the CLI reads
    // policy.ini at every run)
    setPolicy(w.dir, 'violation', 'leaver_account', 'security_officer,sysadmin')
    setPolicy(w.dir, 'violation', 'leaver_user_id', 'unset')
    let moved = w.check().body.violations
    assert.deepEqual(owner(moved.find((v) => v.code === 'leaver_account')), ['security_officer', '情報セキュリティ責任者、システム管理者', ['security_officer', 'sysadmin'], '[violation] leaver_account'])
    assert.equal(moved.find((v) => v.code === 'leaver_account').owner_source, 'test')
    assert.deepEqual(owner(moved.find((v) => v.code === 'leaver_user_id')), [null, '', [], '[violation] leaver_user_id'])
    setPolicy(w.dir, 'takeout', 'approver_confidential', 'unset')
    moved = w.check().body.violations
    assert.deepEqual(owner(moved.find((v) => v.code === 'takeout_overdue')), ['dept_head', '部門長', ['dept_head'], '[takeout] approver_confidential'])
    assert.match(moved.find((v) => v.code === 'takeout_overdue').owner_source, /mamori default/)
    setPolicy(w.dir, 'takeout', 'approver_confidential', 'ceo')
    assert.equal(w.check().body.violations.find((v) => v.code === 'takeout_overdue').owner, 'ceo')
    setPolicy(w.dir, 'takeout', 'approver_confidential', 'dept_head')
    setPolicy(w.dir, 'violation', 'leaver_account', 'sysadmin')
    setPolicy(w.dir, 'violation', 'leaver_user_id', 'sysadmin')
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
    const vu = await violations('vendor_unevaluated')
    assert.equal(vu.length, 1)
    assert.deepEqual(owner(vu[0]), ['security_officer', '情報セキュリティ責任者', ['security_officer'], '[violation] vendor_unevaluated'])
    assert.match(vu[0].owner_source, /004 ch9 §1\.2/)
    const seen = (await sysadmin.c.get('/api/check')).body
    assert.equal(seen.violations.length, 0)
    assert.equal(seen.hidden, 1)
  } finally {
    await w.stop()
  }
})

// The duties of regulations-001 §16.2 added to the calendar (iso-regulations: seed 001): each
// counts from the creation of the data directory (2027-04-01) with the profile's cycle and its
// regulation, becomes due, overdue, and done when its owner records it.
test('the §16.2 duties: half-yearly LAN check, weekly vulnerability report, yearly briefings, courses, questionnaires', async () => {
  const w = await world(['sysadmin', 'education_lead', 'employee'], ['--profile', 'iso-regulations'])
  try {
    const { officer, sysadmin, education_lead, employee } = w.who
    const added = {
      lan_department_check: ['sysadmin', '6mo', '2027-10-01', /001 システム管理規程 §4\.4\.3\(1\)/],
      vulnerability_report: ['sysadmin', '1w', '2027-04-08', /001 システム管理規程 §4\.7\.2\(1\)/],
      security_briefing: ['education_lead', '1y', '2028-04-01', /001 人的管理規程 §4\.3\.1\(1\)/],
      pc_use_training: ['education_lead', '1y', '2028-04-01', /001 システム利用規程 §4\.1\.7\(4\)/],
      malware_training: ['education_lead', '1y', '2028-04-01', /001 システム利用規程 §4\.3\.1\(2\)/],
      sns_training: ['education_lead', '1y', '2028-04-01', /001 SNS利用規程 §5/],
      sns_questionnaire: ['security_officer', '1y', '2028-04-01', /001 SNS利用規程 §5/],
      risk_cycle_check: ['security_officer', '1y', '2028-04-01', /001 リスク管理規程 §5\(2\)/],
      risk_questionnaire: ['security_officer', '1y', '2028-04-01', /001 リスク管理規程 §5\(3\)/],
    }
    const calendar = async () => (await officer.c.get('/api/duties')).body.items.filter((d) => d.kind === 'periodic')
    let items = await calendar()
    for (const [code, [owner, cycle, due, source]] of Object.entries(added)) {
      const d = items.find((x) => x.code === code)
      assert.ok(d, `${code} is in the calendar`)
      assert.deepEqual([d.owner, d.cycle, d.due, d.last_completion], [owner, cycle, due, null], code)
      assert.match(d.source, source, code)
      assert.match(d.cycle_source, source, `${code}: the cycle's regulation`)
      // a weekly report falls within the 2 weeks' notice at once
      assert.equal(d.state, code === 'vulnerability_report' ? 'due' : 'upcoming', code)
    }
    // 004's plan of qualifications is not in 001: not tracked here
    assert.equal(items.find((x) => x.code === 'qualification_plan'), undefined)
    let r = await sysadmin.c.post('/api/duties/qualification_plan/completions', { evidence: 'x' })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.errors[0].rule, 'untracked')

    // the weekly report: overdue the day after, done when the sysadmin records it, due again a week on
    await w.at('2027-04-09T09:00:00')
    assert.equal((await duty(sysadmin.c, 'vulnerability_report')).state, 'overdue')
    let c = w.check()
    assert.equal(c.code, 3)
    assert.ok(codes(c.body.duties).includes('vulnerability_report'))
    r = await education_lead.c.post('/api/duties/vulnerability_report/completions', { evidence: '週次報告' })
    assert.equal(r.status, 403, 'not the owner role')
    r = await sysadmin.c.post('/api/duties/vulnerability_report/completions', { evidence: '危険度 中 2件・低 5件を関係者にメールで報告（2027-04-09）' })
    assert.equal(r.status, 201, r.text)
    assert.deepEqual([r.body.state, r.body.due, r.body.last_completion.due_on], ['due', '2027-04-16', '2027-04-08'])
    assert.ok(!codes(w.check().body.duties).includes('vulnerability_report'))
    await w.at('2027-04-17T09:00:00')
    assert.equal((await duty(sysadmin.c, 'vulnerability_report')).state, 'overdue')

    // the half-yearly LAN check: due two weeks before 10-01, overdue after
    await w.at('2027-09-20T09:00:00')
    assert.equal((await duty(sysadmin.c, 'lan_department_check')).state, 'due')
    assert.equal((await duty(sysadmin.c, 'security_briefing')).state, 'upcoming')
    await w.at('2027-10-02T09:00:00')
    assert.equal((await duty(sysadmin.c, 'lan_department_check')).state, 'overdue')
    assert.ok(codes(w.check().body.duties).includes('lan_department_check'))
    r = await sysadmin.c.post('/api/duties/lan_department_check/completions', { evidence: '営業部・総務部のLAN接続状態を接続箇所利用一覧と照合', findings: '未申請の機器なし' })
    assert.equal(r.status, 201, r.text)
    assert.deepEqual([r.body.state, r.body.due], ['done', '2028-04-02'])

    // the yearly ones: due from 03-18, overdue from 2028-04-02, done by their owners
    await w.at('2028-03-20T09:00:00')
    items = await calendar()
    for (const code of ['security_briefing', 'pc_use_training', 'malware_training', 'sns_training', 'sns_questionnaire', 'risk_cycle_check', 'risk_questionnaire'])
      assert.equal(items.find((x) => x.code === code).state, 'due', code)
    await w.at('2028-04-02T09:00:00')
    c = w.check()
    for (const code of ['security_briefing', 'pc_use_training', 'malware_training', 'sns_training', 'sns_questionnaire', 'risk_cycle_check', 'risk_questionnaire'])
      assert.ok(codes(c.body.duties).includes(code), code)
    const api = await officer.c.get('/api/check')
    assert.deepEqual(codes(api.body.duties), codes(c.body.duties))
    for (const code of ['security_briefing', 'pc_use_training', 'malware_training', 'sns_training']) {
      r = await employee.c.post(`/api/duties/${code}/completions`, { evidence: 'x' })
      assert.equal(r.status, 403, `${code}: an employee may not record it`)
      r = await education_lead.c.post(`/api/duties/${code}/completions`, { evidence: `${code}: 2028-04-01 実施、受講者名簿は \\\\nas\\教育\\2028` })
      assert.equal(r.status, 201, r.text)
      assert.deepEqual([r.body.state, r.body.due], ['done', '2029-04-02'], code)
    }
    for (const code of ['sns_questionnaire', 'risk_cycle_check', 'risk_questionnaire']) {
      r = await education_lead.c.post(`/api/duties/${code}/completions`, { evidence: 'x' })
      assert.equal(r.status, 403, `${code}: the education lead is not its owner`)
      r = await officer.c.post(`/api/duties/${code}/completions`, { evidence: `${code}: 委員会で確認（議事録 2028-04-02）` })
      assert.equal(r.status, 201, r.text)
      assert.equal(r.body.state, 'done', code)
    }
    c = w.check()
    for (const code of Object.keys(added))
      if (code !== 'vulnerability_report') assert.ok(!codes(c.body.duties).includes(code), `${code} is done`)
    assert.equal(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'duty.complete';"), '9')
  } finally {
    await w.stop()
  }
})

test('the profile sets the new cycles: ipa-sme tracks the yearly plan of qualifications (004 ch2 §5) only', async () => {
  const w = await world(['education_lead'])
  try {
    const items = (await w.who.officer.c.get('/api/duties')).body.items
    const d = items.find((x) => x.code === 'qualification_plan')
    assert.deepEqual([d.owner, d.cycle, d.due, d.state], ['education_lead', '1y', '2028-04-01', 'upcoming'])
    assert.match(d.cycle_source, /004 ch2 §5/)
    for (const code of ['lan_department_check', 'vulnerability_report', 'security_briefing', 'pc_use_training', 'malware_training', 'sns_training', 'sns_questionnaire', 'risk_cycle_check', 'risk_questionnaire'])
      assert.equal(items.find((x) => x.code === code), undefined, `${code} is unset in ipa-sme`)
    // a cycle set in policy.ini starts tracking it (the CLI reads the file at every run)
    setPolicy(w.dir, 'cycle', 'sns_training', '1y')
    w.clock.ms = Date.parse('2028-04-02T09:00:00+09:00')
    w.clock.write()
    const c = w.check()
    assert.ok(codes(c.body.duties).includes('sns_training'))
    assert.ok(codes(c.body.duties).includes('qualification_plan'))
  } finally {
    await w.stop()
  }
})
