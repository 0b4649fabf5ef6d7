// The ledgers (台帳) from the outside (docs/internals/registers.md): who sees which ledger, validation
// with one error per field, change history, the computed values of the hooks (screen lock, asset risk,
// My Number refusal, user ids that are never reissued, take-out approvals), CSV/XLSX export, CSV
// import as Excel saves it, and the CLI.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { BIN, startServer } from '../lib/mamori.mjs'
import { Client, errorsOf, firstLogin, run, setPolicy, setup, totp } from './client.mjs'
import { count, sql } from './sql.mjs'

// ---- helpers -------------------------------------------------------------------------------------

const NAMES = {
  employee: '山田 太郎',
  dept_head: '佐藤 花子',
  ceo: '鈴木 一郎',
  mynumber_manager: '髙橋 次郎',
  sysadmin: '田中 三郎',
  auditor: '伊藤 四郎',
  security_officer: '渡辺 五郎',
}

// A server with the officer signed in and one signed-in account per role asked for. Each account has
// a person with employee number E0001, E0002, ... in the order of roles.
async function world(roles, { tweak } = {}) {
  const { dir, admin, clock } = setup()
  if (tweak) tweak(dir)
  const w = { dir, clock, who: {} }
  w.server = await startServer(dir, { env: clock.env })
  const officer = new Client(w.server.url)
  const o = await firstLogin(officer, admin.login, admin.password, clock)
  w.who.officer = { c: officer, login: admin.login, ...o }
  let n = 0
  for (const role of roles) {
    n++
    const employee_no = `E${String(n).padStart(4, '0')}`
    const p = await officer.post('/api/people', { employee_no, name: NAMES[role] || `社員 ${n}`, name_kana: 'テスト', employment_type: 'regular' })
    assert.equal(p.status, 201, p.text)
    const login = `u${n}${role.replace(/_/g, '')}`
    const a = await officer.post('/api/accounts', { person_id: p.body.id, login, roles: [role] })
    assert.equal(a.status, 201, a.text)
    const c = new Client(w.server.url)
    const f = await firstLogin(c, login, a.body.password, clock)
    w.who[role] = { c, login, person: p.body.id, employee_no, name: NAMES[role] || `社員 ${n}`, ...f }
  }
  // Restarts the server (policy.ini is read at start) and signs everyone in again.
  w.restart = async () => {
    assert.equal(await w.server.stop(), 0, w.server.stderr)
    w.server = await startServer(dir, { env: clock.env })
    for (const a of Object.values(w.who)) {
      clock.advance(30)
      a.c = new Client(w.server.url)
      const r = await a.c.login(a.login, a.password, a.secret ? totp(a.secret, clock) : undefined)
      assert.equal(r.status, 201, `${a.login} after restart: ${r.text}`)
    }
  }
  w.stop = async () => {
    const code = await w.server.stop()
    assert.equal(code, 0, w.server.stderr)
  }
  return w
}

// A request with a raw body (CSV upload) or a binary answer (export).
async function raw(c, method, path, { body, type } = {}) {
  const h = {}
  if (c.cookie) h.cookie = c.cookie
  if (c.csrf && method !== 'GET') h['x-csrf-token'] = c.csrf
  if (type) h['content-type'] = type
  const res = await fetch(c.url + path, { method, headers: h, body })
  const buf = Buffer.from(await res.arrayBuffer())
  let json = null
  try { json = JSON.parse(buf.toString('utf8')) } catch { json = null }
  return { status: res.status, headers: res.headers, buf, text: buf.toString('utf8'), body: json }
}

// RFC 4180: rows of cells; quoted cells may hold commas, quotes ("") and line breaks.
function parseCsv(text) {
  const rows = []
  let row = []
  let cell = ''
  let i = 0
  let quoted = false
  while (i < text.length) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue }
      if (ch === '"') { quoted = false; i++; continue }
      cell += ch; i++; continue
    }
    if (ch === '"' && cell === '') { quoted = true; i++; continue }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue }
    if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; continue }
    cell += ch; i++
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row) }
  return rows
}

function toCsv(rows) {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n'
}

// UTF-8 text → CP932 bytes, as Excel's "CSV (コンマ区切り)" saves them.
const cp932 = (text) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP932'], { input: Buffer.from(text, 'utf8') })

const BOM = Buffer.from([0xef, 0xbb, 0xbf])

// The columns of the PC・サーバ台帳 export: the ID, then every field under its Japanese label, in order.
const DEVICE_HEADER = ['ID', '管理上の名称', '種別', '導入年月日', '導入の原因', '製造元', '販売店', '名称及び型式', '製造番号', '用途',
  '賃貸借契約期間満了年月日', '保管場所', '管理者名', '保証書の有効期限', '保証書の保管場所', '利用者', 'OS・バージョン', 'MACアドレス',
  'IPアドレス', '画面ロック（分）', '画面ロック上限超過', 'ディスク暗号化', 'ウイルス対策ソフト', '状態', '廃棄等の許可者', '廃棄年月日', '備考']

function device(manager, extra = {}) {
  return { asset_no: 'PC-001', kind: 'desktop', introduced_on: '2026-04-01', model: 'OptiPlex 7010', location: '本社 2F', manager, status: 'in_use', ...extra }
}


// ---- 1. who sees which ledger ----------------------------------------------------------------------

test('GET /api/registers lists only the readable ledgers with counts and can_write; writers only may write, refusals are audited', async () => {
  const w = await world(['employee', 'auditor', 'sysadmin'])
  const { employee, auditor, sysadmin } = w.who
  try {
    // one device, so that a count is not just zero
    let r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person))
    assert.equal(r.status, 201, r.text)
    const devId = r.body.id

    const ledgers = async (c) => {
      const res = await c.get('/api/registers')
      assert.equal(res.status, 200, res.text)
      return Object.fromEntries(res.body.items.map((i) => [i.name, i]))
    }
    // an employee reads (and writes) the take-out register only
    let l = await ledgers(employee.c)
    assert.deepEqual(Object.keys(l).sort(), ['takeouts'])
    assert.equal(l.takeouts.can_write, true)
    assert.equal(l.takeouts.count, 0)
    assert.equal(l.takeouts.label.ja, '持出簿')
    // the auditor reads every ledger and writes none
    l = await ledgers(auditor.c)
    assert.deepEqual(Object.keys(l).sort(), ['assets', 'backups', 'changes', 'connections', 'devices', 'keys', 'media', 'room_entries', 'software', 'takeouts', 'user_ids', 'vendors'])
    for (const i of Object.values(l)) assert.equal(i.can_write, false, i.name)
    assert.equal(l.devices.count, 1)
    assert.equal(l.devices.label.ja, 'PC・サーバ台帳')
    assert.ok(l.devices.source, 'each ledger names its regulation')
    // the system administrator: not the vendor register; writes the technical ledgers only
    l = await ledgers(sysadmin.c)
    assert.deepEqual(Object.keys(l).sort(), ['assets', 'backups', 'changes', 'connections', 'devices', 'keys', 'media', 'room_entries', 'software', 'takeouts', 'user_ids'])
    const writes = Object.values(l).filter((i) => i.can_write).map((i) => i.name).sort()
    assert.deepEqual(writes, ['backups', 'changes', 'connections', 'devices', 'keys', 'media', 'room_entries', 'software', 'user_ids'])
    assert.equal(l.devices.count, 1)

    // the schema of a ledger, with can_write for the caller
    r = await auditor.c.get('/api/registers/devices/schema')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.name, 'devices')
    assert.equal(r.body.can_write, false)
    assert.equal(r.body.title, 'asset_no')
    const kind = r.body.fields.find((f) => f.name === 'kind')
    assert.equal(kind.type, 'enum')
    assert.equal(kind.label.ja, '種別')
    assert.deepEqual(kind.choices.map((c) => c.value), ['desktop', 'notebook', 'server', 'tablet', 'smartphone'])
    assert.equal(r.body.fields.find((f) => f.name === 'screen_lock_over_limit').computed, true)
    assert.deepEqual(r.body.permissions.write, ['sysadmin'])
    r = await sysadmin.c.get('/api/registers/devices/schema')
    assert.equal(r.body.can_write, true)
    // an employee may not even read the device register
    for (const p of ['/api/registers/devices/schema', '/api/registers/devices/records', `/api/registers/devices/records/${devId}`, '/api/registers/devices/export?format=csv'])
      assert.equal((await employee.c.get(p)).status, 403, p)
    r = await employee.c.get('/api/registers/nosuch/records')
    assert.equal(r.status, 404)

    // a reader without write: every write is refused, nothing changes, and each refusal is audited
    const deniedBefore = Number(sql(w.dir, `SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND actor = '${auditor.login}' AND outcome = 'denied';`))
    r = await auditor.c.post('/api/registers/devices/records', device(auditor.person, { asset_no: 'PC-999' }))
    assert.equal(r.status, 403, r.text)
    r = await auditor.c.patch(`/api/registers/devices/records/${devId}`, { location: '倉庫' })
    assert.equal(r.status, 403, r.text)
    r = await auditor.c.del(`/api/registers/devices/records/${devId}`)
    assert.equal(r.status, 403, r.text)
    r = await raw(auditor.c, 'POST', '/api/registers/devices/import', { body: '管理上の名称\r\nPC-777\r\n', type: 'text/csv' })
    assert.equal(r.status, 403, r.text)
    r = await employee.c.post('/api/registers/devices/records', device(employee.person, { asset_no: 'PC-998' }))
    assert.equal(r.status, 403, r.text)
    const deniedAfter = Number(sql(w.dir, `SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND actor = '${auditor.login}' AND outcome = 'denied';`))
    assert.equal(deniedAfter - deniedBefore, 4, 'POST, PATCH, DELETE and import refusals are each an audit event')
    const details = sql(w.dir, `SELECT details FROM audit_event WHERE action = 'access.denied' AND actor = '${auditor.login}' ORDER BY seq DESC LIMIT 4;`)
    for (const line of details.split('\n')) assert.match(line, /register\.write/, line)
    assert.equal(count(w.dir, 'reg_devices'), 1)
    r = await sysadmin.c.get(`/api/registers/devices/records/${devId}`)
    assert.equal(r.body.location, '本社 2F')
  } finally {
    await w.stop()
  }
})

// ---- 2. devices: validation, history, screen lock, list ----------------------------------------------

test('devices: bad input is 422 with one error per field (bad MAC, IPv4, enum, date, unknown field, missing) and writes nothing', async () => {
  const w = await world(['sysadmin'])
  const { sysadmin } = w.who
  try {
    const before = { rows: count(w.dir, 'reg_devices'), changes: count(w.dir, 'register_change') }
    let r = await sysadmin.c.post('/api/registers/devices/records', {
      // asset_no is missing (required)
      kind: 'laptop', // not a choice
      introduced_on: '2026-02-30', // no such day
      model: 'OptiPlex 7010',
      location: '本社 2F',
      manager: sysadmin.person,
      status: 'in_use',
      mac: '00:1A:2B:3C:4D', // five octets
      ip: '192.168.1.300', // not IPv4
      colour: 'red', // not a field
    })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.headers.get('content-type'), 'application/problem+json')
    assert.deepEqual(errorsOf(r), ['asset_no:required', 'colour:unknown', 'introduced_on:date', 'ip:format', 'kind:choice', 'mac:format'],
      `one error per bad field, got ${JSON.stringify(r.body.errors)}`)
    for (const e of r.body.errors) {
      assert.ok(e.message && e.message_ja, `message and message_ja for ${e.field}`)
      assert.match(e.message_ja, /[ぁ-んァ-ヶ一-龠]/, `Japanese message for ${e.field}: ${e.message_ja}`)
    }
    assert.match(r.body.errors.find((e) => e.field === 'introduced_on').message_ja, /^導入年月日/)
    assert.match(r.body.errors.find((e) => e.field === 'mac').message_ja, /^MACアドレス/)
    assert.equal(count(w.dir, 'reg_devices'), before.rows, 'nothing written')
    assert.equal(count(w.dir, 'register_change'), before.changes, 'no history written')
    assert.equal((await sysadmin.c.get('/api/registers/devices/records')).body.total, 0)
  } finally {
    await w.stop()
  }
})

test('devices: a good record is 201; PATCH of one field; the history shows create then update of exactly that field', async () => {
  const w = await world(['sysadmin'])
  const { sysadmin } = w.who
  try {
    const before = { rows: count(w.dir, 'reg_devices'), changes: count(w.dir, 'register_change') }
    let r
    // a good one
    r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person, { mac: '00:1A:2B:3C:4D:5E', ip: '192.168.1.30', introduced_on: '2024-02-29' }))
    assert.equal(r.status, 201, r.text)
    const id = r.body.id
    assert.equal(r.body.asset_no, 'PC-001')
    assert.equal(r.body.introduced_on, '2024-02-29')
    assert.equal(r.body.manager, sysadmin.person)
    assert.equal(r.body._labels.manager, `${sysadmin.employee_no} ${sysadmin.name}`)
    assert.equal(count(w.dir, 'reg_devices'), before.rows + 1)
    // the same asset_no again: unique
    r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person))
    assert.equal(r.status, 422)
    assert.deepEqual(errorsOf(r), ['asset_no:unique'])

    // PATCH one field
    w.clock.advance(60)
    r = await sysadmin.c.patch(`/api/registers/devices/records/${id}`, { location: '本社 3F サーバ室' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.location, '本社 3F サーバ室')
    assert.equal(r.body.model, 'OptiPlex 7010', 'the other fields stay')
    // a bad PATCH changes nothing
    r = await sysadmin.c.patch(`/api/registers/devices/records/${id}`, { location: '倉庫', ip: '10.0.0.256' })
    assert.equal(r.status, 422)
    assert.deepEqual(errorsOf(r), ['ip:format'])
    assert.equal((await sysadmin.c.get(`/api/registers/devices/records/${id}`)).body.location, '本社 3F サーバ室')

    r = await sysadmin.c.get(`/api/registers/devices/records/${id}/history`)
    assert.equal(r.status, 200, r.text)
    const h = r.body.items
    assert.deepEqual(h.map((x) => x.action), ['create', 'update'])
    assert.ok(h.every((x) => x.actor === sysadmin.login), JSON.stringify(h))
    assert.ok(h[0].changes.some((c) => c.field === 'asset_no' && c.old === null && c.new === 'PC-001'))
    assert.deepEqual(h[1].changes, [{ field: 'location', old: '本社 2F', new: '本社 3F サーバ室' }])
    assert.ok(Date.parse(h[1].at) - Date.parse(h[0].at) >= 60_000, 'history times follow the clock')
    // the history is append-only, even for someone with the database file and sqlite3
    for (const stmt of ['UPDATE register_change SET actor = \'x\';', 'DELETE FROM register_change;']) {
      const t = spawnSync('sqlite3', ['-bail', join(w.dir, 'mamori.db')], { input: stmt, encoding: 'utf8' })
      assert.notEqual(t.status, 0, `${stmt} must fail`)
    }
    // DELETE: 204, gone, the history keeps the values, and the id is never reused
    r = await sysadmin.c.del(`/api/registers/devices/records/${id}`)
    assert.equal(r.status, 204, r.text)
    assert.equal((await sysadmin.c.get(`/api/registers/devices/records/${id}`)).status, 404)
    assert.equal((await sysadmin.c.patch(`/api/registers/devices/records/${id}`, { location: 'x' })).status, 404)
    r = await sysadmin.c.get(`/api/registers/devices/records/${id}/history`)
    assert.equal(r.status, 200, r.text)
    const del = r.body.items.at(-1)
    assert.equal(del.action, 'delete')
    assert.ok(del.changes.some((c) => c.field === 'location' && c.old === '本社 3F サーバ室' && c.new === null), JSON.stringify(del))
    assert.equal(sql(w.dir, `SELECT count(*) FROM audit_event WHERE action = 'register.delete' AND target_id = '${id}' AND access = 'delete';`), '1')
    r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person))
    assert.equal(r.status, 201, r.text)
    assert.ok(r.body.id > id, `a new id (${r.body.id}) after ${id}`)
  } finally {
    await w.stop()
  }
})

test('devices: screen_lock_over_limit follows the profile (ipa-sme 5 min; PC 15 / smart 1 after a policy change)', async () => {
  const w = await world(['sysadmin'])
  try {
    const post = async (asset_no, kind, minutes) => {
      const r = await w.who.sysadmin.c.post('/api/registers/devices/records', device(w.who.sysadmin.person, { asset_no, kind, screen_lock_minutes: minutes }))
      assert.equal(r.status, 201, r.text)
      return r.body
    }
    // ipa-sme: 5 minutes for PCs and smart devices
    assert.equal((await post('PC-010', 'desktop', 10)).screen_lock_over_limit, true)
    assert.equal((await post('PC-005', 'desktop', 5)).screen_lock_over_limit, false)
    assert.equal((await post('SP-010', 'smartphone', 10)).screen_lock_over_limit, true)
    assert.equal((await post('PC-NUL', 'notebook', null)).screen_lock_over_limit, null, 'no minutes, no flag')
    // computed: input cannot set it
    let r = await w.who.sysadmin.c.post('/api/registers/devices/records', device(w.who.sysadmin.person, { asset_no: 'PC-003', screen_lock_minutes: 3, screen_lock_over_limit: true }))
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.screen_lock_over_limit, false)
    // the filter on the flag
    r = await w.who.sysadmin.c.get('/api/registers/devices/records?screen_lock_over_limit=true&sort=asset_no')
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body.items.map((i) => i.asset_no), ['PC-010', 'SP-010'])

    // iso-regulations-like values: PC 15 minutes, smartphones and tablets 1 minute
    setPolicy(w.dir, 'device', 'screen_lock_pc', '15min')
    setPolicy(w.dir, 'device', 'screen_lock_smart', '1min')
    await w.restart()
    assert.equal((await post('SP-005', 'smartphone', 5)).screen_lock_over_limit, true)
    assert.equal((await post('TB-001', 'tablet', 1)).screen_lock_over_limit, false)
    assert.equal((await post('PC-110', 'desktop', 10)).screen_lock_over_limit, false)
    assert.equal((await post('PC-120', 'notebook', 20)).screen_lock_over_limit, true)
    // a saved record is judged again when it is saved
    const old = (await w.who.sysadmin.c.get('/api/registers/devices/records?q=PC-010')).body.items[0]
    r = await w.who.sysadmin.c.patch(`/api/registers/devices/records/${old.id}`, { notes: '再評価' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.screen_lock_over_limit, false, '10 minutes is within the new PC limit of 15')
  } finally {
    await w.stop()
  }
})

test('devices: list with q, a filter, sort=-field, page/per_page and total', async () => {
  const w = await world(['sysadmin'])
  const { sysadmin } = w.who
  try {
    const rows = [
      ['PC-001', 'desktop', 'OptiPlex 7010', '本社 2F'],
      ['PC-002', 'notebook', 'ThinkPad X1 Carbon', '営業部'],
      ['PC-003', 'notebook', 'ThinkPad T14', '本社 2F'],
      ['SV-001', 'server', 'PowerEdge R250', 'サーバ室'],
      ['PC-004', 'notebook', 'MacBook Air', '営業部'],
    ]
    for (const [asset_no, kind, model, location] of rows) {
      const r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person, { asset_no, kind, model, location }))
      assert.equal(r.status, 201, r.text)
    }
    const list = async (qs) => {
      const r = await sysadmin.c.get(`/api/registers/devices/records?${qs}`)
      assert.equal(r.status, 200, `${qs}: ${r.text}`)
      return r.body
    }
    let b = await list('')
    assert.equal(b.total, 5)
    assert.deepEqual(b.items.map((i) => i.asset_no), ['PC-001', 'PC-002', 'PC-003', 'PC-004', 'SV-001'], 'default sort: asset_no')
    assert.equal(b.page, 1)
    assert.equal(b.per_page, 50)
    // q: substring over the search fields, ASCII case-insensitive
    b = await list('q=thinkpad')
    assert.deepEqual(b.items.map((i) => i.asset_no), ['PC-002', 'PC-003'])
    assert.equal(b.total, 2)
    assert.equal((await list('q=%25')).total, 0, '% is a character, not a wildcard')
    assert.equal((await list('q=_')).total, 0, '_ is a character, not a wildcard')
    b = await list(`q=${encodeURIComponent('営業')}`)
    assert.deepEqual(b.items.map((i) => i.asset_no), ['PC-002', 'PC-004'])
    // a filter, by value or by its Japanese label
    b = await list('kind=notebook&sort=-asset_no')
    assert.deepEqual(b.items.map((i) => i.asset_no), ['PC-004', 'PC-003', 'PC-002'])
    b = await list(`kind=${encodeURIComponent('サーバ')}`)
    assert.deepEqual(b.items.map((i) => i.asset_no), ['SV-001'])
    // q and a filter together
    b = await list('kind=notebook&q=ThinkPad&sort=-asset_no')
    assert.deepEqual(b.items.map((i) => i.asset_no), ['PC-003', 'PC-002'])
    // descending on another field
    b = await list('sort=-model')
    assert.deepEqual(b.items.map((i) => i.model), ['ThinkPad X1 Carbon', 'ThinkPad T14', 'PowerEdge R250', 'OptiPlex 7010', 'MacBook Air'])
    // pages
    b = await list('sort=asset_no&per_page=2&page=2')
    assert.deepEqual(b.items.map((i) => i.asset_no), ['PC-003', 'PC-004'])
    assert.equal(b.total, 5)
    assert.equal(b.page, 2)
    assert.equal(b.per_page, 2)
    b = await list('sort=asset_no&per_page=2&page=3')
    assert.deepEqual(b.items.map((i) => i.asset_no), ['SV-001'])
    b = await list('sort=asset_no&per_page=2&page=4')
    assert.deepEqual(b.items, [])
    assert.equal(b.total, 5)
    // bad queries are 422, not a crash
    for (const qs of ['per_page=201', 'page=0', 'sort=nosuch', 'kind=laptop']) {
      const r = await sysadmin.c.get(`/api/registers/devices/records?${qs}`)
      assert.equal(r.status, 422, `${qs}: ${r.status} ${r.text}`)
    }
  } finally {
    await w.stop()
  }
})

// ---- 3. assets: importance, risk, My Number ----------------------------------------------------------

test('assets: importance = max(C, I, A), IPA damage likelihood, risk = importance × likelihood; computed input ignored', async () => {
  const w = await world(['dept_head'])
  const officer = w.who.officer.c // security_officer writes the asset register
  const manager = w.who.dept_head.person
  try {
    let n = 0
    const asset = (extra) => ({
      asset_no: `A-${String(++n).padStart(3, '0')}`, name: '顧客名簿', department: '営業部', manager, user_scope: '営業部員',
      medium: 'server', storage_location: 'fs01 営業/顧客', personal_info: true, mynumber: false, ...extra,
    })
    // [C, I, A, threat, vulnerability] → [importance, damage likelihood, risk]
    // IPA 付録7 被害発生可能性の換算表 (the field's help text): threat 3: vulnerability 3→3, 2→2, 1→1;
    // threat 2: 3→2, 2→1, 1→1; threat 1: all 1.
    const cases = [
      [[2, 0, 1, 3, 3], [2, 3, 6]],
      [[0, 1, 0, 2, 3], [1, 2, 2]],
      [[0, 2, 1, 3, 2], [2, 2, 4]],
      [[1, 0, 0, 2, 2], [1, 1, 1]],
      [[0, 0, 0, 3, 3], [0, 3, 0]],
      [[2, 2, 2, 1, 3], [2, 1, 2]],
      [[0, 0, 1, 3, 1], [1, 1, 1]],
      [[1, 2, 0, 2, 1], [2, 1, 2]],
      [[1, 1, 1, null, null], [1, null, null]],
      [[0, 1, 2, 3, null], [2, null, null]],
    ]
    for (const [[c, i, a, t, v], [imp, lik, risk]] of cases) {
      const r = await officer.post('/api/registers/assets/records', asset({ confidentiality: c, integrity: i, availability: a, threat: t, vulnerability: v }))
      assert.equal(r.status, 201, r.text)
      assert.deepEqual([r.body.importance, r.body.damage_likelihood, r.body.risk_value], [imp, lik, risk], `C${c} I${i} A${a} threat ${t} vulnerability ${v}`)
    }
    // computed values sent in input are ignored (no error, no effect)
    let r = await officer.post('/api/registers/assets/records', asset({ confidentiality: 1, integrity: 0, availability: 0, threat: 3, vulnerability: 3, importance: 0, damage_likelihood: 1, risk_value: 0 }))
    assert.equal(r.status, 201, r.text)
    assert.deepEqual([r.body.importance, r.body.damage_likelihood, r.body.risk_value], [1, 3, 3])
    const id = r.body.id
    r = await officer.patch(`/api/registers/assets/records/${id}`, { risk_value: 6, importance: 2 })
    assert.ok(r.status === 200, r.text)
    assert.deepEqual([r.body.importance, r.body.risk_value], [1, 3])
    // a change of an input recomputes
    r = await officer.patch(`/api/registers/assets/records/${id}`, { confidentiality: 2 })
    assert.equal(r.status, 200, r.text)
    assert.deepEqual([r.body.importance, r.body.damage_likelihood, r.body.risk_value], [2, 3, 6])
    r = await officer.patch(`/api/registers/assets/records/${id}`, { vulnerability: 1 })
    assert.deepEqual([r.body.importance, r.body.damage_likelihood, r.body.risk_value], [2, 1, 2])
  } finally {
    await w.stop()
  }
})

test('assets: out-of-range scores are refused with one error per field', async () => {
  const w = await world(['dept_head'])
  const officer = w.who.officer.c
  try {
    const r = await officer.post('/api/registers/assets/records', {
      asset_no: 'A-001', name: '顧客名簿', department: '営業部', manager: w.who.dept_head.person, user_scope: '営業部員', medium: 'server',
      storage_location: 'fs01', personal_info: true, mynumber: false, confidentiality: 3, integrity: 0, availability: 0, threat: 4, vulnerability: 0,
    })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(r.body.errors.map((e) => e.field).sort(), ['confidentiality', 'threat', 'vulnerability'], `one error per field: ${JSON.stringify(r.body.errors)}`)
    assert.equal(count(w.dir, 'reg_assets'), 0)
  } finally {
    await w.stop()
  }
})

test('assets: a valid My Number is refused in any text field, however it is written; a wrong check digit is accepted', async () => {
  const w = await world(['dept_head'])
  const officer = w.who.officer.c
  const manager = w.who.dept_head.person
  try {
    const asset = (extra) => ({
      asset_no: 'A-001', name: '源泉徴収票（控）', department: '総務部', manager, user_scope: '事務取扱担当者', medium: 'paper',
      storage_location: '総務部 施錠キャビネットA', personal_info: true, mynumber: true, confidentiality: 2, integrity: 1, availability: 1, ...extra,
    })
    const before = count(w.dir, 'reg_assets')
    const writings = [
      ['notes', '123456789018'],
      ['notes', '山田さんの番号は1234-5678-9018です'],
      ['name', '源泉徴収票 1234 5678 9018'],
      ['storage_location', '１２３４５６７８９０１８'],
      ['user_scope', '番号：１２３４－５６７８－９０１８'],
      ['business_area', '1234　5678　9018'],
      ['department', '総務 987654321093'],
      ['handling_department', 'x9876-5432-1093x'],
    ]
    for (const [field, text] of writings) {
      const r = await officer.post('/api/registers/assets/records', asset({ [field]: text }))
      assert.equal(r.status, 422, `${field} = ${text}: ${r.text}`)
      assert.deepEqual(errorsOf(r), [`${field}:mynumber`], `${field} = ${text}`)
      assert.match(r.body.errors[0].message_ja, /個人番号/)
    }
    // several fields at once: each named
    let r = await officer.post('/api/registers/assets/records', asset({ notes: '123456789018', retention: '1234-5678-9018' }))
    assert.equal(r.status, 422)
    assert.deepEqual(errorsOf(r), ['notes:mynumber', 'retention:mynumber'])
    assert.equal(count(w.dir, 'reg_assets'), before, 'nothing written')
    // the check digit decides: 12 digits that are not a My Number are fine (e.g. a phone or order number)
    r = await officer.post('/api/registers/assets/records', asset({ notes: '受付番号 123456789012、1234-5678-9012', name: '注文 12345678901（11桁）' }))
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.notes, '受付番号 123456789012、1234-5678-9012')
    // an edit cannot add one either
    r = await officer.patch(`/api/registers/assets/records/${r.body.id}`, { notes: 'マイナンバー 1234-5678-9018' })
    assert.equal(r.status, 422)
    assert.deepEqual(errorsOf(r), ['notes:mynumber'])
    r = await officer.get('/api/registers/assets/records?q=' + encodeURIComponent('受付番号'))
    assert.equal(r.body.items[0].notes, '受付番号 123456789012、1234-5678-9012')
    // nor an import
    const csv = '管理番号,情報資産名称,管理部署,管理責任者,利用者範囲,媒体,保存先,個人情報,特定個人情報,機密性,完全性,可用性,備考\r\n' +
      `A-100,扶養控除申告書,総務部,${w.who.dept_head.employee_no},総務部,書類,金庫,はい,はい,2,1,1,番号 123456789018\r\n`
    r = await raw(officer, 'POST', '/api/registers/assets/import', { body: csv, type: 'text/csv' })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(r.body.errors.map((e) => [e.row, e.field, e.rule]), [[2, 'notes', 'mynumber']])
    assert.equal(count(w.dir, 'reg_assets'), before + 1)
  } finally {
    await w.stop()
  }
})

// ---- 4. user ids ----------------------------------------------------------------------------------

test('user_ids: (system, login) is unique; an abolished id cannot be renamed, reopened or deleted', async () => {
  const w = await world(['sysadmin', 'employee'])
  const { sysadmin, employee } = w.who
  try {
    const uid = (extra) => ({ system: 'ファイルサーバー', login: 'E0002', person: employee.person, user_status: 'regular', access_rights: '営業フォルダ 読み書き', privileged: false, issued_on: '2026-04-01', ...extra })
    let r = await sysadmin.c.post('/api/registers/user_ids/records', uid())
    assert.equal(r.status, 201, r.text)
    const id = r.body.id
    // the same pair again
    r = await sysadmin.c.post('/api/registers/user_ids/records', uid({ access_rights: '閲覧のみ' }))
    assert.equal(r.status, 422, r.text)
    assert.ok(r.body.errors.some((e) => e.rule === 'unique' && ['system', 'login'].includes(e.field)), JSON.stringify(r.body.errors))
    assert.equal(r.body.errors.length, 1)
    // the same login on another system is fine
    r = await sysadmin.c.post('/api/registers/user_ids/records', uid({ system: '給与計算システム' }))
    assert.equal(r.status, 201, r.text)
    const other = r.body.id
    // another record cannot be renamed onto the pair either
    r = await sysadmin.c.patch(`/api/registers/user_ids/records/${other}`, { system: 'ファイルサーバー' })
    assert.equal(r.status, 422, r.text)
    assert.ok(r.body.errors.some((e) => e.rule === 'unique'))
    // before abolition, an id may be changed and deleted like any record
    r = await sysadmin.c.patch(`/api/registers/user_ids/records/${other}`, { access_rights: '給与明細の閲覧' })
    assert.equal(r.status, 200, r.text)

    // abolish it
    r = await sysadmin.c.patch(`/api/registers/user_ids/records/${id}`, { disabled_on: '2027-03-31', abolished_on: '2027-03-31' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.abolished_on, '2027-03-31')
    // renaming it
    r = await sysadmin.c.patch(`/api/registers/user_ids/records/${id}`, { login: 'E0099' })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['login:abolished'])
    r = await sysadmin.c.patch(`/api/registers/user_ids/records/${id}`, { system: '別システム' })
    assert.equal(r.status, 422, r.text)
    // reopening it
    r = await sysadmin.c.patch(`/api/registers/user_ids/records/${id}`, { abolished_on: null })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['abolished_on:abolished'])
    r = await sysadmin.c.patch(`/api/registers/user_ids/records/${id}`, { abolished_on: '' })
    assert.equal(r.status, 422, 'an empty string is no date either')
    // deleting it (any user id: deletion would allow reissue)
    r = await sysadmin.c.del(`/api/registers/user_ids/records/${id}`)
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.errors?.[0]?.rule ?? r.body.rule, 'keep')
    // it is still there, unchanged
    r = await sysadmin.c.get(`/api/registers/user_ids/records/${id}`)
    assert.equal(r.status, 200)
    assert.deepEqual([r.body.system, r.body.login, r.body.abolished_on], ['ファイルサーバー', 'E0002', '2027-03-31'])
    // and never reissued: the pair stays taken
    r = await sysadmin.c.post('/api/registers/user_ids/records', uid({ issued_on: '2027-04-01' }))
    assert.equal(r.status, 422, r.text)
    // notes (異動内容) may still be written on an abolished id
    r = await sysadmin.c.patch(`/api/registers/user_ids/records/${id}`, { notes: '退職により廃止' })
    assert.equal(r.status, 200, r.text)
    const h = (await sysadmin.c.get(`/api/registers/user_ids/records/${id}/history`)).body.items
    assert.deepEqual(h.map((x) => x.action), ['create', 'update', 'update'])
  } finally {
    await w.stop()
  }
})

// ---- 5. take-outs and their approvals ------------------------------------------------------------

test('takeouts: approval by the role for the class, never by oneself, before the take-out time', async () => {
  const w = await world(['employee', 'dept_head', 'ceo', 'mynumber_manager'])
  const { employee, dept_head, ceo, mynumber_manager } = w.who
  const iso = (ms) => new Date(ms - (ms % 1000)).toISOString().replace('.000Z', 'Z')
  try {
    let n = 0
    const takeout = (item_class, extra = {}) => ({
      takeout_no: `T-${String(++n).padStart(3, '0')}`, item: 'ノートPC PC-017（見積資料）', item_class, person: employee.person,
      destination: '株式会社サンプル 本社', purpose: '打合せ', planned_takeout: '2027-04-02', return_due: '2027-04-03', encrypted: true, protection: 'BitLocker', ...extra,
    })
    const approve = (who, id, decision = 'approved', comment = '') => who.c.post(`/api/registers/takeouts/records/${id}/approvals`, { decision, comment })

    // an employee records a take-out of internal (社外秘) material
    let r = await employee.c.post('/api/registers/takeouts/records', takeout('internal'))
    assert.equal(r.status, 201, r.text)
    const t1 = r.body.id
    assert.equal(r.body.approver, null)
    assert.equal(r.body.approval_time, null)
    // a take-out time cannot be given with the record, nor before an approval
    r = await employee.c.post('/api/registers/takeouts/records', takeout('internal', { takeout_time: '2027-04-02T09:00:00+09:00' }))
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['takeout_time:approval'])
    r = await employee.c.patch(`/api/registers/takeouts/records/${t1}`, { takeout_time: '2027-04-02T09:00:00+09:00' })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['takeout_time:approval'])
    // approver roles by class (ipa-sme): 社外秘 → department head
    r = await employee.c.get(`/api/registers/takeouts/records/${t1}/approvals`)
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body.approver_roles, ['dept_head'])
    assert.deepEqual(r.body.items, [])
    // nobody approves their own take-out: not the employee...
    r = await approve(employee, t1)
    assert.ok(r.status === 403 || r.status === 422, `${r.status} ${r.text}`)
    // ...and not a department head who recorded one
    r = await dept_head.c.post('/api/registers/takeouts/records', takeout('internal', { person: dept_head.person }))
    assert.equal(r.status, 201, r.text)
    const own = r.body.id
    r = await approve(dept_head, own)
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.rule, 'self_approval')
    assert.deepEqual((await dept_head.c.get(`/api/registers/takeouts/records/${own}/approvals`)).body.items, [])
    // the CEO is not the approver of 社外秘 under ipa-sme
    const denied = count(w.dir, 'audit_event')
    r = await approve(ceo, t1)
    assert.equal(r.status, 403, r.text)
    assert.ok(count(w.dir, 'audit_event') > denied, 'the refusal is audited')
    assert.equal(sql(w.dir, `SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND actor = '${ceo.login}';`), '1')
    // a bad decision
    r = await approve(dept_head, t1, 'maybe')
    assert.equal(r.status, 422, r.text)
    // the department head approves
    w.clock.advance(120)
    const approvedAt = iso(w.clock.ms)
    r = await approve(dept_head, t1, 'approved', '暗号化を確認')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.approver, dept_head.login)
    assert.equal(r.body.approval_time, approvedAt)
    // now the take-out time, after the approval
    r = await employee.c.patch(`/api/registers/takeouts/records/${t1}`, { takeout_time: '2027-04-01T08:00:00+09:00' })
    assert.equal(r.status, 422, 'a take-out before its approval is refused')
    assert.deepEqual(errorsOf(r), ['takeout_time:approval_after'])
    r = await employee.c.patch(`/api/registers/takeouts/records/${t1}`, { takeout_time: '2027-04-02T09:00:00+09:00' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.takeout_time, '2027-04-02T00:00:00Z')
    assert.equal(r.body.approver, dept_head.login)
    assert.equal(r.body.approval_time, approvedAt)
    // the return, after the take-out
    r = await employee.c.patch(`/api/registers/takeouts/records/${t1}`, { returned_time: '2027-04-01T18:00:00+09:00' })
    assert.equal(r.status, 422)
    r = await employee.c.patch(`/api/registers/takeouts/records/${t1}`, { returned_time: '2027-04-03T18:00:00+09:00' })
    assert.equal(r.status, 200, r.text)
    // the approver and time cannot be typed in
    r = await employee.c.patch(`/api/registers/takeouts/records/${t1}`, { approver: employee.login, approval_time: '2027-01-01T00:00:00Z' })
    assert.equal(r.body.approver, dept_head.login)
    assert.equal(r.body.approval_time, approvedAt)
    r = await employee.c.get(`/api/registers/takeouts/records/${t1}/approvals`)
    assert.deepEqual(r.body.items.map((i) => [i.decided_by, i.approver_role, i.decision, i.comment, i.decided_at.slice(0, 19)]),
      [[dept_head.login, 'dept_head', 'approved', '暗号化を確認', approvedAt.slice(0, 19)]])

    // 極秘 needs the CEO
    r = await employee.c.post('/api/registers/takeouts/records', takeout('secret'))
    assert.equal(r.status, 201, r.text)
    const t2 = r.body.id
    assert.deepEqual((await employee.c.get(`/api/registers/takeouts/records/${t2}/approvals`)).body.approver_roles, ['ceo'])
    r = await approve(dept_head, t2)
    assert.equal(r.status, 403, r.text)
    r = await approve(mynumber_manager, t2)
    assert.equal(r.status, 403, r.text)
    r = await approve(ceo, t2)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.approver, ceo.login)

    // 特定個人情報 needs the My Number manager; a rejection is no approval
    r = await employee.c.post('/api/registers/takeouts/records', takeout('mynumber', { item: '源泉徴収票（控）一式', encrypted: false, protection: '封筒に入れ身から離さない' }))
    assert.equal(r.status, 201, r.text)
    const t3 = r.body.id
    assert.deepEqual((await employee.c.get(`/api/registers/takeouts/records/${t3}/approvals`)).body.approver_roles, ['mynumber_manager'])
    r = await approve(ceo, t3)
    assert.equal(r.status, 403, r.text)
    r = await approve(dept_head, t3)
    assert.equal(r.status, 403, r.text)
    r = await approve(mynumber_manager, t3, 'rejected', '封緘が必要')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.approver, null)
    r = await employee.c.patch(`/api/registers/takeouts/records/${t3}`, { takeout_time: '2027-04-02T09:00:00+09:00' })
    assert.equal(r.status, 422, 'rejected: still no approval')
    w.clock.advance(60)
    r = await approve(mynumber_manager, t3, 'approved', '封緘を確認')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.approver, mynumber_manager.login)
    r = await employee.c.patch(`/api/registers/takeouts/records/${t3}`, { takeout_time: '2027-04-02T09:00:00+09:00' })
    assert.equal(r.status, 200, r.text)
    r = await ceo.c.get(`/api/registers/takeouts/records/${t3}/approvals`)
    assert.equal(r.status, 200)
    assert.deepEqual(r.body.items.map((i) => [i.decided_by, i.approver_role, i.decision, i.comment]),
      [[mynumber_manager.login, 'mynumber_manager', 'rejected', '封緘が必要'], [mynumber_manager.login, 'mynumber_manager', 'approved', '封緘を確認']])
    // every decision is in the audit trail
    assert.equal(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'register.decide';"), '4')
  } finally {
    await w.stop()
  }
})

test('takeouts: an approval for one class does not cover another (the class cannot be raised after approval)', async () => {
  const w = await world(['employee', 'dept_head'])
  const { employee, dept_head } = w.who
  try {
    let r = await employee.c.post('/api/registers/takeouts/records', {
      takeout_no: 'T-001', item: '封筒（書類）', item_class: 'internal', person: employee.person, destination: '税理士事務所', purpose: '年末調整',
      planned_takeout: '2027-04-02', return_due: '2027-04-02', encrypted: false,
    })
    assert.equal(r.status, 201, r.text)
    const id = r.body.id
    r = await dept_head.c.post(`/api/registers/takeouts/records/${id}/approvals`, { decision: 'approved', comment: '' })
    assert.equal(r.status, 200, r.text)
    // after the department head's approval of 社外秘, the item becomes 特定個人情報, which needs the
    // My Number manager: the department head's approval must not let it be taken out
    r = await employee.c.patch(`/api/registers/takeouts/records/${id}`, { item_class: 'mynumber' })
    const after = await employee.c.get(`/api/registers/takeouts/records/${id}/approvals`)
    assert.deepEqual(after.body.approver_roles, ['mynumber_manager'])
    if (r.status === 200) {
      const shown = r.body.approver
      r = await employee.c.patch(`/api/registers/takeouts/records/${id}`, { takeout_time: '2027-04-02T09:00:00+09:00' })
      assert.equal(r.status, 422, `take-out of 特定個人情報 with only a dept_head approval: ${r.status} ${r.text}`)
      assert.deepEqual(errorsOf(r), ['takeout_time:approval'])
      assert.equal(shown, null, 'the dept_head approval is no longer shown as the approval of a 特定個人情報 take-out')
    } else {
      assert.equal(r.status, 422, r.text)
    }
  } finally {
    await w.stop()
  }
})

// ---- 6. export -----------------------------------------------------------------------------------

test('export: CSV with BOM and CRLF, Japanese headers, formula cells guarded; CP932; XLSX through LibreOffice; audited as output', async () => {
  const w = await world(['sysadmin'])
  const { sysadmin } = w.who
  try {
    let r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person, {
      kind: 'notebook', notes: '=HYPERLINK("http://evil.example/","click")', dealer: '+81-3-1234-5678', purpose: '@SUM(A1)',
      disk_encrypted: true, antivirus: false, screen_lock_minutes: 5, mac: '00:1A:2B:3C:4D:5E', ip: '192.168.1.30',
    }))
    assert.equal(r.status, 201, r.text)
    const id1 = r.body.id
    r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person, { asset_no: 'SV-001', kind: 'server', model: 'PowerEdge R250, 2U', location: 'サーバ室', notes: '髙橋さん管理 ①' }))
    assert.equal(r.status, 201, r.text)

    // UTF-8 with BOM
    r = await raw(sysadmin.c, 'GET', '/api/registers/devices/export?format=csv')
    assert.equal(r.status, 200, r.text)
    assert.match(r.headers.get('content-type'), /^text\/csv/)
    assert.match(r.headers.get('content-disposition') || '', /attachment; filename="devices-\d{8}\.csv"/)
    assert.deepEqual(r.buf.subarray(0, 3), BOM, 'starts with the UTF-8 BOM')
    const text = r.buf.subarray(3).toString('utf8')
    assert.ok(text.endsWith('\r\n'), 'CRLF at the end')
    assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'every line ends in CRLF')
    const rows = parseCsv(text)
    assert.deepEqual(rows[0], DEVICE_HEADER)
    assert.equal(rows.length, 3)
    const row = Object.fromEntries(DEVICE_HEADER.map((h, i) => [h, rows.find((x) => x[0] === String(id1))[i]]))
    assert.equal(row['備考'], `'=HYPERLINK("http://evil.example/","click")`, 'a formula cell is prefixed with an apostrophe')
    assert.equal(row['販売店'], `'+81-3-1234-5678`)
    assert.equal(row['用途'], `'@SUM(A1)`)
    assert.equal(row['種別'], 'ノートPC')
    assert.equal(row['導入年月日'], '2026/04/01')
    assert.equal(row['ディスク暗号化'], 'はい')
    assert.equal(row['ウイルス対策ソフト'], 'いいえ')
    assert.equal(row['画面ロック上限超過'], 'いいえ')
    assert.equal(row['管理者名'], `${sysadmin.employee_no} ${sysadmin.name}`)
    assert.equal(row['状態'], '使用中')
    assert.equal(row['画面ロック（分）'], '5')
    assert.equal(row['利用者'], '')
    assert.match(text, /"PowerEdge R250, 2U"/, 'a cell with a comma is quoted')
    // the current q and filters apply
    r = await raw(sysadmin.c, 'GET', '/api/registers/devices/export?format=csv&kind=server')
    assert.equal(parseCsv(r.buf.subarray(3).toString('utf8')).length, 2)

    // CP932 (Shift_JIS) for older Excel
    r = await raw(sysadmin.c, 'GET', '/api/registers/devices/export?format=csv&encoding=cp932')
    assert.equal(r.status, 200, r.text)
    assert.match(r.headers.get('content-type'), /shift_jis/i)
    assert.notDeepEqual(r.buf.subarray(0, 3), BOM, 'no BOM in CP932')
    const sjis = new TextDecoder('shift_jis').decode(r.buf)
    const srows = parseCsv(sjis)
    assert.deepEqual(srows[0], DEVICE_HEADER)
    assert.deepEqual(srows, rows, 'the same table as the UTF-8 export')
    assert.equal(execFileSync('iconv', ['-f', 'CP932', '-t', 'UTF-8'], { input: r.buf }).toString('utf8'), text, 'iconv agrees')

    // XLSX: a ZIP that LibreOffice reads back with the Japanese headers and values
    r = await raw(sysadmin.c, 'GET', '/api/registers/devices/export?format=xlsx')
    assert.equal(r.status, 200, r.text)
    assert.match(r.headers.get('content-type'), /spreadsheetml/)
    assert.deepEqual([...r.buf.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a ZIP file')
    const tmp = mkdtempSync(join(tmpdir(), 'mamori-xlsx-'))
    const file = join(tmp, 'devices.xlsx')
    writeFileSync(file, r.buf)
    const lo = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${tmp}/profile`,
      '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', join(tmp, 'out'), file],
    { env: { ...process.env, HOME: tmp }, encoding: 'utf8', timeout: 120_000 })
    assert.equal(lo.status, 0, `soffice: ${lo.error || ''} ${lo.stderr}`)
    const out = readdirSync(join(tmp, 'out'))
    assert.deepEqual(out, ['devices.csv'], lo.stdout)
    const xrows = parseCsv(readFileSync(join(tmp, 'out', 'devices.csv'), 'utf8').replace(/^\uFEFF/, ''))
    assert.deepEqual(xrows[0], DEVICE_HEADER)
    const xrow = Object.fromEntries(DEVICE_HEADER.map((h, i) => [h, xrows.find((x) => x[0] === String(id1))[i]]))
    assert.equal(xrow['管理上の名称'], 'PC-001')
    assert.equal(xrow['種別'], 'ノートPC')
    assert.equal(xrow['管理者名'], `${sysadmin.employee_no} ${sysadmin.name}`)
    assert.equal(xrow['ディスク暗号化'], 'はい')
    assert.match(xrow['導入年月日'], /2026.0?4.0?1|0?4.0?1.(20)?26/, `the date cell: ${xrow['導入年月日']}`)
    assert.equal(xrow['備考'].replace(/^'/, ''), '=HYPERLINK("http://evil.example/","click")', 'a text cell, never a formula that runs')
    const sv = xrows.find((x) => x[1] === 'SV-001')
    assert.equal(sv[DEVICE_HEADER.indexOf('備考')], '髙橋さん管理 ①')
    assert.equal(sv[DEVICE_HEADER.indexOf('名称及び型式')], 'PowerEdge R250, 2U')

    // every export is 出力 in the audit trail
    const ev = sql(w.dir, `SELECT actor || '|' || access || '|' || target_type || '|' || details FROM audit_event WHERE action = 'register.export' ORDER BY seq;`).split('\n')
    assert.equal(ev.length, 4, ev.join('\n'))
    for (const e of ev) assert.match(e, new RegExp(`^${sysadmin.login}\\|output\\|devices\\|`))
    assert.match(ev[2], /csv-cp932/)
    assert.match(ev[3], /xlsx/)
    // a bad format is refused
    r = await raw(sysadmin.c, 'GET', '/api/registers/devices/export?format=pdf')
    assert.equal(r.status, 422)
    // a character CP932 lacks: CP932 export is refused naming the column, UTF-8 still works
    r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person, { asset_no: 'PC-EMO', notes: '動作確認済み😀' }))
    assert.equal(r.status, 201, r.text)
    r = await raw(sysadmin.c, 'GET', '/api/registers/devices/export?format=csv&encoding=cp932')
    assert.equal(r.status, 422, r.text)
    assert.match(JSON.stringify(r.body), /備考/)
    r = await raw(sysadmin.c, 'GET', '/api/registers/devices/export?format=csv')
    assert.equal(r.status, 200)
    assert.match(r.text, /動作確認済み😀/)
  } finally {
    await w.stop()
  }
})

// ---- 7. import ----------------------------------------------------------------------------------

test('import: a CP932 CSV as Excel saves it; all-or-nothing with every bad row named; re-import of an export updates by ID', async () => {
  const w = await world(['sysadmin', 'employee'])
  const { sysadmin, employee } = w.who
  const importCsv = (body) => raw(sysadmin.c, 'POST', '/api/registers/devices/import', { body, type: 'text/csv' })
  try {
    // as Excel saves it: CP932, Japanese labels, enums by label, はい/いいえ, 2026/04/01, people by employee number
    const head = '管理上の名称,種別,導入年月日,名称及び型式,保管場所,管理者名,利用者,状態,ディスク暗号化,ウイルス対策ソフト,画面ロック（分）,備考'
    const good = [
      head,
      `PC-101,ノートPC,2026/04/01,ThinkPad X1,営業部,${sysadmin.employee_no},${employee.employee_no},使用中,はい,はい,3,①髙橋さんから引継ぎ`,
      `SV-101,サーバ,2026/4/2,"PowerEdge R250, 2U",サーバ室,${sysadmin.employee_no},,予備・保管中,いいえ,○,10,`,
    ].join('\r\n') + '\r\n'
    const bytes = cp932(good)
    assert.notDeepEqual(bytes.subarray(0, 3), BOM)
    let r = await importCsv(bytes)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.imported, 2)
    r = await sysadmin.c.get('/api/registers/devices/records?sort=asset_no')
    assert.equal(r.body.total, 2)
    const [pc, sv] = r.body.items
    assert.deepEqual(
      [pc.asset_no, pc.kind, pc.introduced_on, pc.model, pc.location, pc.manager, pc.assignee, pc.status, pc.disk_encrypted, pc.antivirus, pc.screen_lock_minutes, pc.screen_lock_over_limit, pc.notes],
      ['PC-101', 'notebook', '2026-04-01', 'ThinkPad X1', '営業部', sysadmin.person, employee.person, 'in_use', true, true, 3, false, '①髙橋さんから引継ぎ'])
    assert.deepEqual(
      [sv.asset_no, sv.kind, sv.introduced_on, sv.model, sv.assignee, sv.status, sv.disk_encrypted, sv.antivirus, sv.screen_lock_over_limit, sv.notes],
      ['SV-101', 'server', '2026-04-02', 'PowerEdge R250, 2U', null, 'stock', false, true, true, null])
    assert.equal(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'register.import';"), '1')
    assert.equal(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'register.create' AND target_type = 'devices';"), '2')
    // UTF-8 with a BOM, English labels and field names work as well
    r = await importCsv(Buffer.concat([BOM, Buffer.from('asset_no,Kind,Date introduced,model,location,manager,status\r\nTB-001,タブレット,2026-05-01,iPad,本社,' + sysadmin.employee_no + ',使用中\r\n')]))
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.imported, 1)

    // three bad rows among good ones: nothing is imported and every bad row is named (header = row 1)
    const before = count(w.dir, 'reg_devices')
    const mixed = [
      head,
      `PC-201,デスクトップPC,2026/04/01,OptiPlex,本社,${sysadmin.employee_no},,使用中,はい,はい,5,`, // row 2 good
      `PC-202,ラップトップ,2026/04/01,OptiPlex,本社,${sysadmin.employee_no},,使用中,はい,はい,5,`, // row 3: kind
      `PC-203,デスクトップPC,2026/04/01,OptiPlex,本社,${sysadmin.employee_no},,使用中,はい,はい,5,`, // row 4 good
      `PC-204,デスクトップPC,2026/02/30,OptiPlex,本社,${sysadmin.employee_no},,使用中,たぶん,はい,5,`, // row 5: date, boolean
      `PC-205,デスクトップPC,2026/04/01,OptiPlex,本社,E9999,,使用中,はい,はい,5,`, // row 6: no such employee
      `PC-206,デスクトップPC,2026/04/01,OptiPlex,本社,${sysadmin.employee_no},,使用中,はい,はい,5,`, // row 7 good
    ].join('\r\n') + '\r\n'
    r = await importCsv(cp932(mixed))
    assert.equal(r.status, 422, r.text)
    const bad = r.body.errors.map((e) => [e.row, e.field, e.rule])
    assert.deepEqual(bad.map(([row, field]) => [row, field]), [[3, 'kind'], [5, 'introduced_on'], [5, 'disk_encrypted'], [6, 'manager']], JSON.stringify(r.body.errors))
    assert.deepEqual([...new Set(bad.map((b) => b[0]))], [3, 5, 6])
    for (const e of r.body.errors) assert.ok(e.message_ja && e.message, JSON.stringify(e))
    assert.equal(count(w.dir, 'reg_devices'), before, 'nothing imported')
    assert.equal((await sysadmin.c.get('/api/registers/devices/records?q=PC-20')).body.total, 0)

    // two rows of the same file that clash with each other
    r = await importCsv(cp932([head,
      `PC-401,デスクトップPC,2026/04/01,OptiPlex,本社,${sysadmin.employee_no},,使用中,はい,はい,5,`,
      `PC-401,デスクトップPC,2026/04/01,OptiPlex,本社,${sysadmin.employee_no},,使用中,はい,はい,5,`].join('\r\n') + '\r\n'))
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(r.body.errors.map((e) => [e.row, e.field, e.rule]), [[3, 'asset_no', 'unique']])
    assert.equal(count(w.dir, 'reg_devices'), before)

    // an unknown column is named
    r = await importCsv(cp932('管理上の名称,色,種別\r\nPC-301,赤,デスクトップPC\r\n'))
    assert.equal(r.status, 422, r.text)
    const unknown = r.body.errors.find((e) => e.rule === 'unknown_column')
    assert.ok(unknown, JSON.stringify(r.body.errors))
    assert.equal(unknown.row, 1)
    assert.match(unknown.message_ja, /色/)
    assert.equal(count(w.dir, 'reg_devices'), before)

    // re-import of an export with one edited cell: that record (by its ID) is updated, nothing else changes
    r = await sysadmin.c.patch(`/api/registers/devices/records/${sv.id}`, { notes: '=1+1 は数式ではなくメモ', purpose: '-' })
    assert.equal(r.status, 200, r.text)
    r = await raw(sysadmin.c, 'GET', '/api/registers/devices/export?format=csv')
    assert.equal(r.status, 200)
    const rows = parseCsv(r.buf.subarray(3).toString('utf8'))
    const col = (name) => rows[0].indexOf(name)
    const pcRow = rows.find((x) => x[0] === String(pc.id))
    assert.equal(pcRow[col('保管場所')], '営業部')
    pcRow[col('保管場所')] = '本社 3F'
    w.clock.advance(60)
    r = await importCsv(Buffer.concat([BOM, Buffer.from(toCsv(rows))]))
    assert.equal(r.status, 200, r.text)
    assert.equal(count(w.dir, 'reg_devices'), before, 'no record added')
    r = await sysadmin.c.get(`/api/registers/devices/records/${pc.id}`)
    assert.equal(r.body.location, '本社 3F')
    let h = (await sysadmin.c.get(`/api/registers/devices/records/${pc.id}/history`)).body.items
    assert.deepEqual(h.map((x) => x.action), ['create', 'update'])
    assert.deepEqual(h[1].changes, [{ field: 'location', old: '営業部', new: '本社 3F' }], 'only the edited cell changed')
    // the other records come back exactly as they were (a guarded cell is read back without its apostrophe)
    r = await sysadmin.c.get(`/api/registers/devices/records/${sv.id}`)
    assert.equal(r.body.notes, '=1+1 は数式ではなくメモ')
    assert.equal(r.body.purpose, '-')
    h = (await sysadmin.c.get(`/api/registers/devices/records/${sv.id}/history`)).body.items
    assert.deepEqual(h.map((x) => x.action), ['create', 'update'], `the unedited row is not changed by the re-import: ${JSON.stringify(h.at(-1))}`)
    // an ID that does not exist is named
    const ghost = rows.slice(0, 2).map((x) => [...x])
    ghost[1][0] = '9999'
    r = await importCsv(Buffer.from(toCsv(ghost)))
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(r.body.errors.map((e) => [e.row, e.field]), [[2, 'id']])
    // not CSV at all
    r = await raw(sysadmin.c, 'POST', '/api/registers/devices/import', { body: '{}', type: 'application/json' })
    assert.equal(r.status, 415)
  } finally {
    await w.stop()
  }
})

// ---- 8. the CLI --------------------------------------------------------------------------------------

test('CLI: register add with JSON on stdin, list, export --format csv; bad input exits 2 naming the field', () => {
  const { dir } = setup()
  let r = run(['people', 'add', '--employee-no', 'E0001', '--name', '山田 太郎', '--kana', 'ヤマダ タロウ', '--type', 'regular'], { dataDir: dir })
  assert.equal(r.code, 0, r.stderr)
  const person = Number(r.stdout.trim().match(/\d+/)[0])
  r = run(['register', 'add', 'devices'], { dataDir: dir, input: JSON.stringify(device(person, { screen_lock_minutes: 10, notes: '=cmd' })) })
  assert.equal(r.code, 0, r.stderr)
  const rec = JSON.parse(r.stdout)
  assert.equal(rec.asset_no, 'PC-001')
  assert.equal(rec.screen_lock_over_limit, true, 'the same hooks as the API')
  assert.equal(rec._labels.manager, 'E0001 山田 太郎')
  r = run(['register', 'add', 'devices'], { dataDir: dir, input: JSON.stringify(device(person, { asset_no: 'PC-002', kind: 'notebook' })) })
  assert.equal(r.code, 0, r.stderr)

  r = run(['register', 'list', 'devices', '--sort', '-asset_no'], { dataDir: dir })
  assert.equal(r.code, 0, r.stderr)
  let list = JSON.parse(r.stdout)
  assert.equal(list.total, 2)
  assert.deepEqual(list.items.map((i) => i.asset_no), ['PC-002', 'PC-001'])
  r = run(['register', 'list', 'devices', '--filter', 'kind=notebook'], { dataDir: dir })
  list = JSON.parse(r.stdout)
  assert.deepEqual(list.items.map((i) => i.asset_no), ['PC-002'])

  r = spawnSync(BIN, ['register', 'export', 'devices', '--format', 'csv', '--data', dir])
  assert.equal(r.status, 0, r.stderr?.toString())
  assert.deepEqual(r.stdout.subarray(0, 3), BOM)
  const rows = parseCsv(r.stdout.subarray(3).toString('utf8'))
  assert.deepEqual(rows[0], DEVICE_HEADER)
  assert.equal(rows.length, 3)
  assert.equal(rows[1][DEVICE_HEADER.indexOf('備考')], "'=cmd")
  assert.equal(sql(dir, "SELECT access FROM audit_event WHERE action = 'register.export';"), 'output')

  // bad input: exit 2, the field named, nothing written
  r = run(['register', 'add', 'devices'], { dataDir: dir, input: JSON.stringify(device(person, { asset_no: 'PC-003', ip: '999.1.1.1' })) })
  assert.equal(r.code, 2, r.stdout + r.stderr)
  assert.match(r.stderr, /\bip\b/)
  assert.match(r.stderr, /IPアドレス/)
  r = run(['register', 'add', 'devices'], { dataDir: dir, input: '{"asset_no": ' })
  assert.equal(r.code, 2)
  r = run(['register', 'add', 'nosuch'], { dataDir: dir, input: '{}' })
  assert.equal(r.code, 2)
  r = run(['register', 'list', 'devices'], { dataDir: dir })
  assert.equal(JSON.parse(r.stdout).total, 2)
  // history from the CLI names the local operator
  r = run(['register', 'history', 'devices', String(rec.id)], { dataDir: dir })
  assert.equal(r.code, 0, r.stderr)
  const hist = JSON.parse(r.stdout)
  assert.ok(Array.isArray(hist.items), `history on stdout as the API gives it, {"items": [...]}; got ${r.stdout.slice(0, 60)}`)
  const h = hist.items
  assert.equal(h[0].action, 'create')
  assert.match(h[0].actor, /^cli:/)
})

// ---- the search index ------------------------------------------------------------------------------

// q as LIKE '%q%' has it: a substring of one search field, ASCII letters without case, every other
// character exactly (Ä is not ä, Ａ is not ａ, the Kelvin sign is not k).
const lowerAscii = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
const DEVICE_SEARCH = ['asset_no', 'model', 'serial_no', 'manufacturer', 'location', 'purpose', 'mac', 'ip', 'notes']
const likeMatches = (rec, q) => DEVICE_SEARCH.some((f) => rec[f] != null && lowerAscii(rec[f]).includes(lowerAscii(q)))

test('search: the ledgers\' text index finds exactly what LIKE finds (case, Japanese, full-width, %, _, quotes, emoji), kept in step by create, PATCH, DELETE and import, made again at open', async () => {
  const w = await world(['sysadmin'])
  const { sysadmin } = w.who
  const texts = [
    ['Payroll list', '本社 2F', 'PAYROLL 2026'],
    ['ÄBC äbc', 'ＡＢＣ 倉庫', '人事部 資料'],
    ['ÄBC', 'ａｂｃ', '人事'],
    ['50%_off "quoted"', '営業部', 'emoji 😀😀😀 x'],
    ['back\\slash', 'tab\there', 'line\nbreak\nKelvin \u212a'],
    ['İstanbul ſtraße', 'STRASSE', 'OR NEAR(x y) "*^ -:+ AND'],
    ['ｶﾀｶﾅ カタカナ', 'ﾊﾟ パ', 'aaaa abab'],
    ['a', 'b', 'ab'],
  ]
  const terms = ['payroll', 'PayRoll', 'PAYROLL', 'äbc', 'ÄBC', 'ａｂｃ', 'ＡＢＣ', 'abc', 'ABC', '人事', '人', '事部', '人事部', '資',
    '%', '_', '%_', '50%', '"', '"quoted"', '""', '😀', '😀😀', '😀😀😀', '\\', 'k\\s', 'tab\there', 'k', 'K', 'straße', 'ss', 'SS',
    'İ', 'i', 'ſ', 'OR', 'NEAR(', '*', '^', '-', ':', 'AND', 'a', 'b', 'ab', 'x y', 'zzz', 'ｶﾀ', 'パ', 'ﾊﾟ', 'ﾟ', ' ', 'aa', 'aaa',
    'bab', 'elvin', 'PC-0', '2F', 'f', 'line', 'break\nk']
  const records = new Map()
  const add = async (i, [model, location, notes]) => {
    const asset_no = `PC-${String(i).padStart(3, '0')}`
    const r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person, { asset_no, model, location, notes }))
    assert.equal(r.status, 201, r.text)
    records.set(r.body.id, r.body)
  }
  const check = async (qs) => {
    for (const q of qs) {
      const want = [...records.values()].filter((rec) => likeMatches(rec, q)).map((rec) => rec.asset_no).sort()
      const r = await sysadmin.c.get(`/api/registers/devices/records?per_page=200&q=${encodeURIComponent(q)}`)
      assert.equal(r.status, 200, `${JSON.stringify(q)}: ${r.text}`)
      assert.deepEqual(r.body.items.map((i) => i.asset_no), want, `q=${JSON.stringify(q)}`)
      assert.equal(r.body.total, want.length, `q=${JSON.stringify(q)}: total`)
    }
  }
  // every piece of 1 to 3 characters of the texts, as written and upper-cased
  const pieces = new Set(terms)
  for (const t of texts.flat()) {
    const chars = [...t]
    for (let i = 0; i < chars.length; i++) {
      for (let n = 1; n <= 3 && i + n <= chars.length; n++) {
        const p = chars.slice(i, i + n).join('')
        pieces.add(p)
        pieces.add(p.toUpperCase())
      }
    }
  }
  try {
    for (let i = 0; i < texts.length; i++) await add(i + 1, texts[i])
    await check(pieces)

    // PATCH (a search field and a field outside the search), DELETE, import (new rows and an update by ID)
    const [first, second, third] = [...records.keys()]
    let r = await sysadmin.c.patch(`/api/registers/devices/records/${first}`, { notes: '給与 Payroll 改訂', os: 'Windows 11' })
    assert.equal(r.status, 200, r.text)
    records.set(first, r.body)
    r = await sysadmin.c.patch(`/api/registers/devices/records/${second}`, { os: 'macOS' })
    assert.equal(r.status, 200, r.text)
    records.set(second, r.body)
    r = await sysadmin.c.del(`/api/registers/devices/records/${third}`)
    assert.equal(r.status, 204, r.text)
    records.delete(third)
    const csv = toCsv([
      ['ID', '管理上の名称', '種別', '導入年月日', '名称及び型式', '保管場所', '管理者名', '状態', '備考'],
      [String(second), 'PC-002', 'デスクトップPC', '2026/04/01', 'Ｚｅｎ 改', '人事部 書庫', sysadmin.employee_no, '使用中', '50% off'],
      ['', 'PC-101', 'デスクトップPC', '2026/04/01', 'ThinkCentre 人事', '経理部', sysadmin.employee_no, '使用中', 'PAYROLL_2027'],
    ])
    r = await raw(sysadmin.c, 'POST', '/api/registers/devices/import', { body: Buffer.concat([BOM, Buffer.from(csv)]), type: 'text/csv' })
    assert.equal(r.status, 200, r.text)
    r = await sysadmin.c.get('/api/registers/devices/records?per_page=200')
    records.clear()
    for (const rec of r.body.items) records.set(rec.id, rec)
    assert.equal(records.size, texts.length)
    await check([...terms, 'Payroll', '給与', '改訂', 'Ｚｅｎ', 'ｚｅｎ', 'zen', '書庫', '人事', 'ThinkCentre', 'payroll_', '_2027', '50% o',
      'off "', 'ÄBC', 'タカナ'])
    // q with a filter, a sort and pages: the same rows, in order
    r = await sysadmin.c.get(`/api/registers/devices/records?q=${encodeURIComponent('a')}&kind=desktop&sort=-model&per_page=2&page=2`)
    assert.equal(r.status, 200, r.text)
    const all = [...records.values()].filter((rec) => likeMatches(rec, 'a') && rec.kind === 'desktop')
      .sort((x, y) => (x.model === y.model ? y.id - x.id : x.model < y.model ? 1 : -1))
    assert.deepEqual(r.body.items.map((i) => i.id), all.slice(2, 4).map((rec) => rec.id))
    assert.equal(r.body.total, all.length)

    // an existing data directory without the index (or whose index holds other fields) gets it at open
    await w.stop()
    sql(w.dir, "DROP TABLE fts_reg_devices; DROP TABLE gram_reg_devices; UPDATE store_text_index SET spec = 'fts5 trigram 2:asset_no' WHERE tbl = 'reg_assets';")
    w.server = await startServer(w.dir, { env: w.clock.env })
    w.clock.advance(30)
    sysadmin.c = new Client(w.server.url)
    r = await sysadmin.c.login(sysadmin.login, sysadmin.password, sysadmin.secret ? totp(sysadmin.secret, w.clock) : undefined)
    assert.equal(r.status, 201, r.text)
    assert.equal(sql(w.dir, "SELECT count(*) FROM sqlite_master WHERE name IN ('fts_reg_devices', 'gram_reg_devices');"), '2')
    assert.match(sql(w.dir, "SELECT spec FROM store_text_index WHERE tbl = 'reg_assets';"), /:asset_no,business_area,name,/)
    await check(['payroll', '人事', '人', 'Ｚｅｎ', '😀'])
  } finally {
    await w.stop()
  }
})

// The list page is written straight as JSON text (docs/performance.md): its items are exactly the records
// GET gives, with quotes, backslashes, control characters and U+2028 escaped as RFC 8259 asks (and as
// jansson wrote them before: \b \f \n \r \t by name, others as \u00XX, U+2028 as it is).
test('the list page writes every record as GET gives it, escaped as JSON asks', async () => {
  const w = await world(['sysadmin'])
  try {
    const sysadmin = w.who.sysadmin
    const notes = 'say "hi" \\ back/slash\nline\ttab\u2028sep 😀 情報'
    let r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person, { notes }))
    assert.equal(r.status, 201, r.text)
    const id = r.body.id
    r = await sysadmin.c.post('/api/registers/devices/records', device(sysadmin.person, { asset_no: 'PC-002' }))
    assert.equal(r.status, 201, r.text)
    const list = await raw(sysadmin.c, 'GET', '/api/registers/devices/records?sort=asset_no')
    assert.equal(list.status, 200, list.text)
    assert.equal(list.headers.get('content-type'), 'application/json')
    assert.equal(Number(list.headers.get('content-length')), list.buf.length)
    assert.ok(list.text.includes('"notes":"say \\"hi\\" \\\\ back/slash\\nline\\ttab\u2028sep 😀 情報"'), list.text)
    assert.deepEqual(Object.keys(list.body), ['items', 'total', 'total_capped', 'page', 'per_page'])
    assert.deepEqual([list.body.total, list.body.total_capped, list.body.page, list.body.per_page], [2, false, 1, 50])
    const one = await raw(sysadmin.c, 'GET', `/api/registers/devices/records/${id}`)
    assert.equal(one.status, 200, one.text)
    // byte for byte: the first item is the record's own JSON text
    assert.ok(list.text.startsWith(`{"items":[${one.text},`), `${list.text}\n${one.text}`)
    assert.equal(list.body.items[0]._labels.manager, `${sysadmin.employee_no} ${sysadmin.name}`)
    // a search and a page: the same records, the same text
    r = await raw(sysadmin.c, 'GET', `/api/registers/devices/records?q=${encodeURIComponent('"hi"')}&per_page=1`)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.text, `{"items":[${one.text}],"total":1,"total_capped":false,"page":1,"per_page":1}`)
  } finally {
    await w.stop()
  }
})
