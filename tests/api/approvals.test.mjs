// The approval engine (docs/internals/approvals.md): routes from the profile, the rules of a decision
// (never one's own request, the step's role, steps in order, a rejection ends it), withdrawal,
// deadlines with the movable clock, the snapshot kept at decision time, the audit trail, and the
// take-out approvals of the ledgers on the engine through their old route. And the CLI.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { run, setPolicy } from './client.mjs'
import { sql } from './sql.mjs'
import { world } from './world.mjs'

// [section] key → value of the data directory's policy.ini (without the source after |)
function policy(dir) {
  const out = {}
  let sec = ''
  for (const line of readFileSync(join(dir, 'policy.ini'), 'utf8').split('\n')) {
    const s = line.match(/^\[(.+)\]/)
    if (s) sec = s[1]
    const m = line.match(/^([a-z_0-9]+)\s*=\s*([^|]*)/)
    if (m) out[`${sec}.${m[1]}`] = m[2].trim()
  }
  return out
}

const auditCount = (dir, action) => Number(sql(dir, `SELECT count(*) FROM audit_event WHERE action = '${action}';`))

test('approvals: the route of every type follows the profile, and a change of the profile changes it', async () => {
  const w = await world(['employee', 'dept_head', 'ceo'])
  const { employee, dept_head, ceo } = w.who
  try {
    let r = await employee.c.get('/api/approvals/types')
    assert.equal(r.status, 200, r.text)
    const codes = r.body.items.map((t) => t.code)
    for (const c of ['takeout', 'software_install', 'device_connection', 'pc_modification', 'media_copy', 'remote_access',
      'mynumber_it_access', 'mynumber_deletion', 'vendor_selection', 'subcontracting', 'regulation_exception', 'lan_connection', 'disposal'])
      assert.ok(codes.includes(c), `type ${c}`)
    const p = policy(w.dir)
    for (const t of r.body.items) {
      assert.ok(t.source && t.title && t.title_en, `${t.code} has titles and a source`)
      for (const route of t.routes) {
        assert.ok(route.keys.length >= 1, `${t.code} has profile keys`)
        const want = route.keys.map((k) => p[k]).filter((v) => v !== undefined && v !== 'unset').map((v) => v.split(',').map((s) => s.trim()).sort())
        assert.deepEqual(route.steps.map((s) => [...s].sort()), want, `${t.code}/${route.class}: route from ${route.keys}`)
      }
    }
    // take-out by class uses the [takeout] keys; remote access has two steps
    const takeout = r.body.items.find((t) => t.code === 'takeout')
    assert.deepEqual(takeout.classes, ['internal', 'secret', 'mynumber'])
    assert.deepEqual(takeout.routes.map((x) => x.keys[0]), ['takeout.approver_confidential', 'takeout.approver_secret', 'takeout.approver_mynumber'])
    assert.deepEqual(r.body.items.find((t) => t.code === 'remote_access').routes[0].steps, [['dept_head'], ['sysadmin']])

    // a request's route is the profile's; media copy: the department head (ipa-sme)
    r = await employee.c.post('/api/approvals', { type: 'media_copy', subject: 'USBメモリ M-01', title: '顧客資料の複製', detail: '打合せ用' })
    assert.equal(r.status, 201, r.text)
    assert.deepEqual(r.body.route, [['dept_head']])
    assert.deepEqual(r.body.step_roles, ['dept_head'])
    assert.equal(r.body.state, 'pending')
    const first = r.body.id
    // bad input
    assert.equal((await employee.c.post('/api/approvals', { type: 'nonsense', subject: 'x', title: 'x' })).status, 422)
    r = await employee.c.post('/api/approvals', { type: 'takeout', subject: 'x', title: 'x' })
    assert.equal(r.status, 422, 'a take-out needs its class')
    assert.equal(r.body.errors[0].field, 'class')
    assert.equal((await employee.c.post('/api/approvals', { type: 'media_copy', class: 'secret', subject: 'x', title: 'x' })).status, 422)
    assert.equal((await employee.c.post('/api/approvals', { type: 'media_copy', subject: 'x' })).status, 422, 'a title is required')
    assert.equal((await employee.c.post('/api/approvals', { type: 'media_copy', subject: 'x', title: 'x', due_on: '2027/04/05' })).status, 422)

    // the profile now routes media copies to the CEO
    setPolicy(w.dir, 'approval', 'media_copy', 'ceo')
    await w.restart()
    r = await employee.c.get('/api/approvals/types')
    assert.deepEqual(r.body.items.find((t) => t.code === 'media_copy').routes[0].steps, [['ceo']])
    r = await employee.c.post('/api/approvals', { type: 'media_copy', subject: 'USBメモリ M-02', title: '複製' })
    assert.equal(r.status, 201, r.text)
    assert.deepEqual(r.body.route, [['ceo']])
    const second = r.body.id
    assert.equal((await dept_head.c.post(`/api/approvals/${second}/decisions`, { decision: 'approved' })).status, 403)
    // the earlier request keeps the route it was made with
    assert.deepEqual((await dept_head.c.get('/api/approvals?box=inbox')).body.items.map((i) => i.id), [first])
    assert.deepEqual((await ceo.c.get('/api/approvals?box=inbox')).body.items.map((i) => i.id), [second])
    r = await ceo.c.post(`/api/approvals/${second}/decisions`, { decision: 'approved', comment: '可' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.state, 'approved')
    // a route left unset in the profile is no route
    setPolicy(w.dir, 'approval', 'disposal', 'unset')
    await w.restart()
    r = await employee.c.post('/api/approvals', { type: 'disposal', subject: 'PC-001', title: '廃棄' })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.rule, 'no_route')
  } finally {
    await w.stop()
  }
})

test('approvals: never one\'s own request, only the step\'s role, two steps in order, a rejection ends it', async () => {
  const w = await world(['employee', 'dept_head', 'sysadmin', 'ceo'])
  const { employee, dept_head, sysadmin, ceo, officer } = w.who
  try {
    // the department head's own request for a media copy
    let r = await dept_head.c.post('/api/approvals', { type: 'media_copy', subject: '外付けHDD', title: '自分の複製' })
    assert.equal(r.status, 201, r.text)
    const own = r.body.id
    r = await dept_head.c.post(`/api/approvals/${own}/decisions`, { decision: 'approved' })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.rule, 'self_approval')
    assert.deepEqual((await dept_head.c.get('/api/approvals?box=inbox')).body.items, [], 'one\'s own request is not in one\'s inbox')
    r = await ceo.c.post(`/api/approvals/${own}/decisions`, { decision: 'approved' })
    assert.equal(r.status, 403, 'the CEO is not on the route')
    assert.equal(Number(sql(w.dir, `SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND actor = '${ceo.login}';`)), 1)
    assert.equal((await dept_head.c.get(`/api/approvals/${own}`)).body.decisions.length, 0)

    // remote access: the department head, then the system administrator
    r = await employee.c.post('/api/approvals', { type: 'remote_access', subject: '自宅PCからのVPN', title: 'リモートアクセス', detail: '在宅勤務' })
    assert.equal(r.status, 201, r.text)
    const ra = r.body.id
    assert.equal(r.body.steps, 2)
    assert.equal(r.body.current_step, 1)
    assert.deepEqual((await sysadmin.c.get('/api/approvals')).body.items, [], 'not yet the system administrator\'s turn')
    assert.deepEqual((await dept_head.c.get('/api/approvals')).body.items.map((i) => i.id), [ra])
    r = await sysadmin.c.post(`/api/approvals/${ra}/decisions`, { decision: 'approved' })
    assert.equal(r.status, 403, 'steps are decided in order')
    assert.equal((await dept_head.c.post(`/api/approvals/${ra}/decisions`, { decision: 'maybe' })).status, 422)
    r = await dept_head.c.post(`/api/approvals/${ra}/decisions`, { decision: 'approved', comment: '業務上必要' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.state, 'pending')
    assert.equal(r.body.current_step, 2)
    assert.deepEqual(r.body.step_roles, ['sysadmin'])
    assert.deepEqual((await dept_head.c.get('/api/approvals')).body.items, [])
    assert.deepEqual((await sysadmin.c.get('/api/approvals')).body.items.map((i) => i.id), [ra])
    assert.equal((await dept_head.c.post(`/api/approvals/${ra}/decisions`, { decision: 'approved' })).status, 403)
    r = await sysadmin.c.post(`/api/approvals/${ra}/decisions`, { decision: 'approved', comment: 'VPN設定済み' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.state, 'approved')
    assert.equal(r.body.closed_by, sysadmin.login)
    assert.deepEqual(r.body.decisions.map((d) => [d.step, d.role, d.decided_by, d.decision]),
      [[1, 'dept_head', dept_head.login, 'approved'], [2, 'sysadmin', sysadmin.login, 'approved']])
    r = await sysadmin.c.post(`/api/approvals/${ra}/decisions`, { decision: 'approved' })
    assert.equal(r.status, 422)
    assert.equal(r.body.rule, 'closed')

    // a rejection at the first step ends the request
    r = await employee.c.post('/api/approvals', { type: 'remote_access', subject: '私物スマートフォン', title: 'リモートアクセス' })
    const rejected = r.body.id
    r = await dept_head.c.post(`/api/approvals/${rejected}/decisions`, { decision: 'rejected', comment: '私物は不可' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.state, 'rejected')
    assert.deepEqual((await sysadmin.c.get('/api/approvals')).body.items, [])
    assert.equal((await sysadmin.c.post(`/api/approvals/${rejected}/decisions`, { decision: 'approved' })).status, 422)

    // who sees what
    assert.deepEqual((await employee.c.get('/api/approvals?box=mine')).body.items.map((i) => i.id), [rejected, ra])
    assert.equal((await employee.c.get('/api/approvals?box=all')).status, 403)
    assert.equal((await employee.c.get('/api/approvals?box=other')).status, 422)
    assert.equal((await ceo.c.get(`/api/approvals/${ra}`)).status, 200, 'the CEO sees every request')
    assert.equal((await officer.c.get('/api/approvals?box=all')).body.items.length, 3)
    assert.equal((await employee.c.get(`/api/approvals/${own}`)).status, 403, 'another\'s request off one\'s route')
    assert.equal((await employee.c.get('/api/approvals/9999')).status, 404)

    // everything is audited
    assert.equal(auditCount(w.dir, 'approval.request'), 3)
    assert.equal(auditCount(w.dir, 'approval.decide'), 3)
  } finally {
    await w.stop()
  }
})

test('approvals: withdrawal by the requester while pending; deadlines and overdue with the clock', async () => {
  const w = await world(['employee', 'dept_head'])
  const { employee, dept_head } = w.who
  try {
    let r = await employee.c.post('/api/approvals', { type: 'media_copy', subject: 'DVD', title: '複製', due_on: '2027-04-02' })
    assert.equal(r.status, 201, r.text)
    const id = r.body.id
    assert.equal(r.body.due_on, '2027-04-02')
    assert.equal(r.body.overdue, false)
    // the end of 04-02 in Japan
    assert.equal(Date.parse(r.body.due_at), Date.parse('2027-04-03T00:00:00+09:00'))
    // (the server restarts to sign everyone in again after a day)
    w.clock.advance(24 * 3600)
    await w.restart()
    assert.equal((await dept_head.c.get('/api/approvals')).body.items[0].overdue, false, 'on the due date: not yet overdue')
    w.clock.advance(24 * 3600)
    await w.restart()
    r = await dept_head.c.get('/api/approvals')
    assert.equal(r.body.items[0].id, id)
    assert.equal(r.body.items[0].overdue, true, 'the day after: overdue')
    assert.equal((await employee.c.get('/api/approvals?box=mine')).body.items[0].overdue, true)

    // only the requester withdraws
    r = await dept_head.c.post(`/api/approvals/${id}/withdraw`)
    assert.equal(r.status, 403, r.text)
    r = await employee.c.post(`/api/approvals/${id}/withdraw`)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.state, 'withdrawn')
    assert.equal(r.body.overdue, false, 'a withdrawn request is not overdue')
    assert.deepEqual((await dept_head.c.get('/api/approvals')).body.items, [])
    r = await dept_head.c.post(`/api/approvals/${id}/decisions`, { decision: 'approved' })
    assert.equal(r.status, 422)
    assert.equal(r.body.rule, 'closed')
    assert.equal((await employee.c.post(`/api/approvals/${id}/withdraw`)).status, 422, 'withdrawn once')
    // a decided request cannot be withdrawn
    r = await employee.c.post('/api/approvals', { type: 'media_copy', subject: 'CD', title: '複製' })
    const done = r.body.id
    assert.equal((await dept_head.c.post(`/api/approvals/${done}/decisions`, { decision: 'approved' })).status, 200)
    assert.equal((await employee.c.post(`/api/approvals/${done}/withdraw`)).status, 422)
    assert.equal(auditCount(w.dir, 'approval.withdraw'), 1)
  } finally {
    await w.stop()
  }
})

test('approvals: a take-out request keeps the record as it was when requested and when decided', async () => {
  const w = await world(['employee', 'dept_head'])
  const { employee, dept_head } = w.who
  try {
    let r = await employee.c.post('/api/registers/takeouts/records', {
      takeout_no: 'T-001', item: 'ノートPC PC-017', item_class: 'internal', person: employee.person, destination: '本社',
      purpose: '最初の目的', planned_takeout: '2027-04-02', return_due: '2027-04-03', encrypted: true, protection: 'BitLocker',
    })
    assert.equal(r.status, 201, r.text)
    const rec = r.body.id
    // saving the take-out asked its approver: the engine's request of the record, due on the planned day
    r = await employee.c.get('/api/approvals?box=mine')
    assert.deepEqual(r.body.items.map((i) => [i.type, i.class, i.subject, i.title, i.due_on]),
      [['takeout', 'internal', `register:takeouts:${rec}`, '持出 T-001（ノートPC PC-017）', '2027-04-02']])
    const id = r.body.items[0].id
    r = await employee.c.get(`/api/approvals/${id}`)
    assert.deepEqual(r.body.route, [['dept_head']])
    assert.equal(r.body.snapshot.record.purpose, '最初の目的')
    assert.deepEqual((await dept_head.c.get('/api/approvals?box=inbox')).body.items.map((i) => i.id), [id], 'in the department head\'s inbox')
    // one pending request per record: a second is refused
    r = await employee.c.post('/api/approvals', { type: 'takeout', class: 'internal', subject: `register:takeouts:${rec}`, title: 'PC-017 の持出し' })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.rule, 'pending')
    assert.equal((await employee.c.post('/api/approvals', { type: 'takeout', class: 'internal', subject: 'register:takeouts:999', title: 'x' })).status, 422)
    assert.equal((await employee.c.post('/api/approvals', { type: 'takeout', class: 'internal', subject: 'register:nosuch:1', title: 'x' })).status, 422)

    assert.equal((await employee.c.patch(`/api/registers/takeouts/records/${rec}`, { purpose: '決裁時の目的' })).status, 200)
    w.clock.advance(60)
    r = await dept_head.c.post(`/api/approvals/${id}/decisions`, { decision: 'approved', comment: '可' })
    assert.equal(r.status, 200, r.text)
    // the ledger takes the engine's decision in
    r = await employee.c.get(`/api/registers/takeouts/records/${rec}`)
    assert.equal(r.body.approver, dept_head.login)
    assert.ok(r.body.approval_time)
    assert.equal((await employee.c.patch(`/api/registers/takeouts/records/${rec}`, { purpose: '後から変えた目的', takeout_time: '2027-04-02T09:00:00+09:00' })).status, 200)
    r = await employee.c.get(`/api/approvals/${id}`)
    assert.equal(r.body.snapshot.record.purpose, '最初の目的', 'the request keeps the record as requested')
    assert.equal(r.body.decisions[0].snapshot.record.purpose, '決裁時の目的', 'the decision keeps the record as decided')
    // the ledger's own history of decisions reads the engine
    r = await employee.c.get(`/api/registers/takeouts/records/${rec}/approvals`)
    assert.deepEqual(r.body.items.map((i) => [i.decided_by, i.approver_role, i.decision]), [[dept_head.login, 'dept_head', 'approved']])
  } finally {
    await w.stop()
  }
})

test('approvals: the take-out route of the ledgers decides on the engine', async () => {
  const w = await world(['employee', 'dept_head'])
  const { employee, dept_head, officer } = w.who
  try {
    let r = await employee.c.post('/api/registers/takeouts/records', {
      takeout_no: 'T-001', item: '封筒', item_class: 'internal', person: employee.person, destination: '税理士事務所', purpose: '年末調整',
      planned_takeout: '2027-04-02', return_due: '2027-04-02', encrypted: false,
    })
    const rec = r.body.id
    r = await dept_head.c.post(`/api/registers/takeouts/records/${rec}/approvals`, { decision: 'rejected', comment: '封緘が必要' })
    assert.equal(r.status, 200, r.text)
    r = await dept_head.c.post(`/api/registers/takeouts/records/${rec}/approvals`, { decision: 'approved', comment: '封緘を確認' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.approver, dept_head.login)
    r = await officer.c.get('/api/approvals?box=all')
    assert.deepEqual(r.body.items.map((i) => [i.type, i.class, i.subject, i.requested_by, i.state]),
      [['takeout', 'internal', `register:takeouts:${rec}`, employee.login, 'approved'], ['takeout', 'internal', `register:takeouts:${rec}`, employee.login, 'rejected']])
    r = await employee.c.get(`/api/approvals/${r.body.items[0].id}`)
    assert.equal(r.status, 200, 'the requester sees the request made for their record')
    assert.equal(r.body.decisions[0].snapshot.purpose, '年末調整')
    assert.equal(auditCount(w.dir, 'register.decide'), 2)
  } finally {
    await w.stop()
  }
})

test('approvals: the CLI lists, requests, and decides as an account', async () => {
  const w = await world(['employee', 'dept_head'])
  const { employee, dept_head } = w.who
  let stopped = false
  try {
    let r = await employee.c.post('/api/approvals', { type: 'media_copy', subject: 'USB', title: 'CLIで決裁' })
    const id = r.body.id
    await w.stop()
    stopped = true
    const cli = (args) => run(['approval', ...args, '--data', w.dir], { env: w.clock.env })
    let out = cli(['types'])
    assert.equal(out.code, 0, out.stderr)
    assert.match(out.stdout, /remote_access/)
    out = cli(['list', '--json'])
    assert.equal(out.code, 0, out.stderr)
    assert.deepEqual(JSON.parse(out.stdout).map((i) => i.id), [id])
    out = cli(['decide', String(id), '--decision', 'approved'])
    assert.equal(out.code, 2, 'decide needs --as')
    out = cli(['decide', String(id), '--decision', 'approved', '--as', employee.login])
    assert.notEqual(out.code, 0, 'the requester cannot decide')
    assert.match(out.stderr, /own request/)
    out = cli(['decide', String(id), '--decision', 'approved', '--comment', 'CLI', '--as', dept_head.login])
    assert.equal(out.code, 0, out.stderr)
    assert.equal(JSON.parse(out.stdout).state, 'approved')
    out = cli(['request', '--type', 'regulation_exception', '--subject', '001 §6', '--title', '例外'])
    assert.equal(out.code, 0, out.stderr)
    assert.deepEqual(JSON.parse(out.stdout).route, [['security_officer']])
    out = cli(['show', String(id)])
    assert.equal(JSON.parse(out.stdout).decisions[0].decided_by, dept_head.login)
    assert.equal(auditCount(w.dir, 'approval.decide'), 1)
  } finally {
    if (!stopped) await w.stop()
  }
})
