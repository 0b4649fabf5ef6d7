// Requests whose approval acts (docs/internals/approvals.md, "effects"): account issuance asked by a
// department head and approved by the CEO issues the account; IT staff ask for access to the My
// Number vault and the manager's approval gives the grant; the vault's deletion request waits in the
// manager's inbox of the engine and its approval there shreds the number. Each follows the profile.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Client, firstLogin, setPolicy } from './client.mjs'
import { sql } from './sql.mjs'
import { world } from './world.mjs'

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const inbox = async (c) => (await c.get('/api/approvals?box=inbox')).body.items.map((a) => [a.type, a.id])
const auditCount = (dir, action) => Number(sql(dir, `SELECT count(*) FROM audit_event WHERE action = '${action}';`))

test('effects: an account asked for by a department head is issued when the CEO approves it, never before', async () => {
  const w = await world(['dept_head', 'ceo', 'employee'])
  const { dept_head, ceo, employee } = w.who
  try {
    const p = await w.who.officer.c.post('/api/people', { employee_no: 'N0001', name: '新入 社員', name_kana: 'シンニュウ', employment_type: 'regular' })
    assert.equal(p.status, 201, p.text)
    const ask = (c, payload) => c.post('/api/approvals', { type: 'account_issuance', subject: '新入社員のアカウント', title: '4月入社 新入 社員', payload })
    // the payload is checked when asked: required, an allowed and free login, a known person
    let r = await ask(dept_head.c, undefined)
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.errors[0].field, 'payload')
    r = await ask(dept_head.c, { person_id: p.body.id, login: 'admin' })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.errors[0].field, 'login', 'the profile forbids admin (004 ch5 §9.3)')
    r = await ask(dept_head.c, { person_id: p.body.id, login: employee.login })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.rule, 'unique', 'a login is never reused')
    r = await ask(dept_head.c, { person_id: 99999, login: 'shinnyu' })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.errors[0].field, 'person_id')
    r = await ask(dept_head.c, { person_id: p.body.id, login: 'shinnyu', roles: ['employee'] })
    assert.equal(r.status, 201, r.text)
    const id = r.body.id
    assert.deepEqual(r.body.payload, { person_id: p.body.id, login: 'shinnyu', roles: ['employee'] })
    assert.deepEqual(r.body.step_roles.sort(), ['ceo', 'security_officer'], 'ipa-sme: [account] issuance_approvers')
    assert.equal(Number(sql(w.dir, "SELECT count(*) FROM account WHERE login = 'shinnyu';")), 0, 'no account before the approval')
    // in the approvers' inboxes, not in the employee's; the requester cannot decide it
    assert.ok((await inbox(ceo.c)).some(([t, i]) => t === 'account_issuance' && i === id))
    assert.deepEqual(await inbox(employee.c), [])
    r = await dept_head.c.post(`/api/approvals/${id}/decisions`, { decision: 'approved' })
    assert.notEqual(r.status, 200, 'the department head neither requests and approves')
    // the CEO approves: the account exists with a one-time password handed to the approver
    r = await ceo.c.post(`/api/approvals/${id}/decisions`, { decision: 'approved', comment: '発行を承認' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.state, 'approved')
    const acc = r.body.result.account
    assert.equal(acc.login, 'shinnyu')
    assert.ok(acc.password.length >= 12, 'a one-time password')
    assert.equal(sql(w.dir, "SELECT person_id || ' ' || approved_by FROM account WHERE login = 'shinnyu';"), `${p.body.id} ${ceo.login}`)
    // the password shows once: reading the request again does not hold it
    r = await ceo.c.get(`/api/approvals/${id}`)
    assert.ok(!r.text.includes(acc.password), 'the one-time password is not kept with the request')
    assert.ok(!sql(w.dir, 'SELECT payload_json || snapshot_json FROM approval_request;').includes(acc.password))
    // the new employee signs in with it and must change it first
    const c = new Client(w.server.url)
    await firstLogin(c, 'shinnyu', acc.password, w.clock)
    // a rejected request issues nothing
    const q = await w.who.officer.c.post('/api/people', { employee_no: 'N0002', name: '却下 例', name_kana: 'キャッカ', employment_type: 'regular' })
    r = await ask(dept_head.c, { person_id: q.body.id, login: 'kyakka' })
    assert.equal(r.status, 201, r.text)
    r = await ceo.c.post(`/api/approvals/${r.body.id}/decisions`, { decision: 'rejected', comment: '不要' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.result, undefined)
    assert.equal(Number(sql(w.dir, "SELECT count(*) FROM account WHERE login = 'kyakka';")), 0)
    // nobody approves their own account: the CEO asks for a second account of their own person
    r = await ask(dept_head.c, { person_id: ceo.person, login: 'ceo2' })
    assert.equal(r.status, 422, 'one account per person is checked when asked')
  } finally {
    await w.stop()
  }
})

test('effects: IT staff ask for vault access and the manager\'s approval gives a grant of at most it_access_max', async () => {
  const w = await world({ sysadmin: ['sysadmin'], manager: ['mynumber_manager'], employee: ['employee'] })
  const { sysadmin, manager, employee } = w.who
  try {
    const list = (c) => c.get('/api/mynumber/subjects')
    assert.equal((await list(sysadmin.c)).status, 403, 'no access without a grant')
    const ask = (c, payload) => c.post('/api/approvals', { type: 'mynumber_it_access', subject: '特定個人情報ファイル', title: 'サーバ移行の確認', payload })
    let r = await ask(sysadmin.c, { reason: 'サーバ移行の確認', ends_at: iso(w.clock.ms + 2 * 86400e3) })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.errors[0].field, 'ends_at', 'longer than [mynumber] it_access_max (1d)')
    r = await ask(employee.c, { reason: '興味本位', ends_at: iso(w.clock.ms + 3600e3) })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.rule, 'not_it_staff', 'only IT staff (sysadmin) get vault access')
    r = await ask(sysadmin.c, { reason: 'サーバ移行の確認', ends_at: iso(w.clock.ms + 8 * 3600e3) })
    assert.equal(r.status, 201, r.text)
    const id = r.body.id
    assert.equal(r.body.payload.login, sysadmin.login, 'IT staff ask for themselves by default')
    assert.deepEqual(r.body.step_roles, ['mynumber_manager'])
    assert.equal((await list(sysadmin.c)).status, 403, 'still no access while pending')
    assert.ok((await inbox(manager.c)).some(([t, i]) => t === 'mynumber_it_access' && i === id))
    r = await manager.c.post(`/api/approvals/${id}/decisions`, { decision: 'approved', comment: '8時間に限り許可' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.result.grant.login, sysadmin.login)
    assert.equal((await list(sysadmin.c)).status, 200, 'the grant is in force')
    r = await manager.c.get('/api/mynumber/grants')
    assert.deepEqual(r.body.items.map((g) => [g.login, g.granted_by, g.approval_id]), [[sysadmin.login, manager.login, id]])
    assert.equal(auditCount(w.dir, 'mynumber.grant'), 1)
    // it ends by itself
    w.clock.advance(8 * 3600 + 60)
    await w.relogin('sysadmin')
    assert.equal((await list(w.who.sysadmin.c)).status, 403, 'after its end')
    // a request approved after its end has passed gives nothing
    r = await ask(w.who.sysadmin.c, { reason: '再確認', ends_at: iso(w.clock.ms + 600e3) })
    assert.equal(r.status, 201, r.text)
    w.clock.advance(900)
    await w.relogin('manager')
    r = await w.who.manager.c.post(`/api/approvals/${r.body.id}/decisions`, { decision: 'approved' })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.errors[0].field, 'ends_at', 'checked again at the approval')
    // the profile decides the approver: security_officer instead of the manager
    setPolicy(w.dir, 'approval', 'mynumber_it_access', 'security_officer')
    await w.restart()
    r = await ask(w.who.sysadmin.c, { reason: '障害調査', ends_at: iso(w.clock.ms + 3600e3) })
    assert.equal(r.status, 201, r.text)
    assert.deepEqual(r.body.step_roles, ['security_officer'])
    r = await w.who.manager.c.post(`/api/approvals/${r.body.id}/decisions`, { decision: 'approved' })
    assert.equal(r.status, 403, 'the manager no longer decides it')
  } finally {
    await w.stop()
  }
})

test('effects: a My Number deletion waits in the manager\'s inbox of the engine; approval there shreds, withdrawal restores', async () => {
  const w = await world({ handler: ['mynumber_handler'], manager: ['mynumber_manager'], employee: ['employee'] })
  const { handler, manager } = w.who
  try {
    let r = await manager.c.put(`/api/mynumber/scopes/${handler.id}`, { purposes: ['withholding'] })
    assert.equal(r.status, 200, r.text)
    const make = async (n) => {
      const s = await handler.c.post('/api/mynumber/subjects', { kind: 'employee', person_id: w.who.employee.person, name: `対象 ${n}`, name_kana: 'タイショウ', purposes: ['withholding'], number: n, identity_check: { number_document: '個人番号カード', identity_document: '個人番号カード' } })
      assert.equal(s.status, 201, s.text)
      return s.body.id
    }
    const a = await make('123456789018')
    const ask = (id, last4) => handler.c.post(`/api/mynumber/subjects/${id}/deletion`, { confirm_id: id, confirm_last4: last4, reason: '保存期間の満了' })
    // the generic route cannot skip the double confirmation
    r = await handler.c.post('/api/approvals', { type: 'mynumber_deletion', subject: `対象者 ${a}`, title: '削除', payload: { deletion_id: 1, subject_id: a } })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.rule, 'module_only')
    r = await ask(a, '9018')
    assert.equal(r.status, 201, r.text)
    const del = r.body.id
    const aid = r.body.approval_id
    assert.ok(aid > 0, 'the deletion request has its engine request')
    assert.ok((await inbox(manager.c)).some(([t, i]) => t === 'mynumber_deletion' && i === aid), 'in the manager\'s inbox')
    r = await manager.c.get(`/api/approvals/${aid}`)
    assert.ok(!r.text.includes('123456789018') && !r.text.includes('9018'), 'the engine\'s request holds no number')
    // the handler withdraws it: the subject is active again
    r = await handler.c.post(`/api/approvals/${aid}/withdraw`, {})
    assert.equal(r.status, 200, r.text)
    assert.equal((await manager.c.get(`/api/mynumber/subjects/${a}`)).body.state, 'active')
    assert.equal(sql(w.dir, `SELECT state FROM mn_deletion WHERE id = ${del};`), 'rejected')
    assert.equal(auditCount(w.dir, 'mynumber.deletion_withdraw'), 1)
    // asked again and approved in the engine's inbox: shredded, recorded, audited
    r = await ask(a, '9018')
    assert.equal(r.status, 201, r.text)
    const aid2 = r.body.approval_id
    r = await manager.c.post(`/api/approvals/${aid2}/decisions`, { decision: 'approved', comment: '満了を確認' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.result.deletion.state, 'done')
    assert.equal(r.body.result.deletion._epoch, undefined, 'internal fields stay inside')
    assert.equal((await manager.c.get(`/api/mynumber/subjects/${a}`)).body.state, 'deleted')
    assert.equal(Number(sql(w.dir, `SELECT count(*) FROM mn_number WHERE subject_id = ${a};`)), 0)
    assert.equal(auditCount(w.dir, 'mynumber.delete'), 1)
    // the vault's own decision route is the same engine: decided once, closed for both
    r = await manager.c.post(`/api/mynumber/deletions/${r.body.payload.deletion_id}/decision`, { decision: 'approved' })
    assert.equal(r.status, 422, r.text)
  } finally {
    await w.stop()
  }
})

test('effects: the approval of a software installation fills the ledger\'s 許可者 and 許可年月日 from the engine', async () => {
  // ipa-sme: the system administrator permits software (004 ch7 §1.1); two of them, as nobody decides their own request
  const w = await world({ sysadmin: ['sysadmin'], sysadmin2: ['sysadmin'] })
  const { sysadmin } = w.who
  try {
    let r = await sysadmin.c.post('/api/registers/software/records', { software_no: 'SW-001', name: '画像編集ソフト', category: 'additional' })
    assert.equal(r.status, 201, r.text)
    const rec = r.body.id
    r = await sysadmin.c.post('/api/approvals', { type: 'software_install', subject: `register:software:${rec}`, title: '画像編集ソフトの導入' })
    assert.equal(r.status, 201, r.text)
    assert.deepEqual(r.body.step_roles, ['sysadmin'])
    const id = r.body.id
    w.clock.advance(86400)
    await w.relogin('sysadmin', 'sysadmin2')
    r = await w.who.sysadmin.c.post(`/api/approvals/${id}/decisions`, { decision: 'approved' })
    assert.equal(r.status, 422, 'not one\'s own')
    r = await w.who.sysadmin2.c.post(`/api/approvals/${id}/decisions`, { decision: 'approved', comment: '業務に必要' })
    assert.equal(r.status, 200, r.text)
    r = await w.who.sysadmin.c.get(`/api/registers/software/records/${rec}`)
    assert.equal(r.body.approver, w.who.sysadmin2.person, 'the approver\'s person')
    assert.equal(r.body.permitted_on, '2027-04-02', 'the day of the approval (Japan)')
    r = await w.who.sysadmin.c.get(`/api/registers/software/records/${rec}/history`)
    assert.ok(r.text.includes('permitted_on'), 'the ledger\'s history shows the change')
  } finally {
    await w.stop()
  }
})
