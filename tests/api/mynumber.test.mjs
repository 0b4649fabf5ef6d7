// The My Number vault (特定個人情報) from the outside (docs/internals/vault.md): check digits and
// normalisation, who sees what on every route, no number at rest or in any log, crypto-shredding that
// reaches the backups, the encrypted export and its take-out, the access report, the inspection data,
// mistakes and requests, key rotation and the bulk import. Each number used here is searched for, as
// digits, with separators and in full width, wherever it must not be.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { startServer } from '../lib/mamori.mjs'
import { Client, errorsOf, files, run, setup, totp } from './client.mjs'
import { sql } from './sql.mjs'
import { world as shared } from './world.mjs'

// ---- numbers ---------------------------------------------------------------------------------------

// The check digit of a 個人番号 (総務省令第85号 第5条), computed here independently of the server:
// P(n) the n-th digit counted from the one left of the check digit, Q(n) = n+1 (n ≤ 6), n-5 (n ≥ 7).
function checkDigit(base11) {
  let sum = 0
  for (let n = 1; n <= 11; n++) sum += Number(base11[11 - n]) * (n <= 6 ? n + 1 : n - 5)
  const r = sum % 11
  return r <= 1 ? 0 : 11 - r
}
const valid = (base11) => base11 + checkDigit(base11)
const wrongLast = (n) => n.slice(0, 11) + ((Number(n[11]) + 1) % 10)
const fullWidth = (s) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))).replace(/-/g, '－')
const grouped = (n, sep) => `${n.slice(0, 4)}${sep}${n.slice(4, 8)}${sep}${n.slice(8)}`

// Every way a number must never be found: digits, grouped with hyphens or spaces, full width.
function forms(n) {
  return [n, grouped(n, '-'), grouped(n, ' '), fullWidth(n), fullWidth(grouped(n, '-')), grouped(fullWidth(n), '　')]
}

// A supply of distinct valid numbers for one test.
function numbers(seed) {
  let i = 0
  return () => valid(String(seed * 1000 + ++i).padStart(11, '3'))
}

const CORPORATE_NTA = '7000012050002' // 国税庁's 法人番号

// Asserts that none of the numbers appears in text, in any of its forms.
function assertNoNumber(text, nums, where) {
  for (const n of nums)
    for (const f of forms(n)) assert.ok(!text.includes(f), `${where}: holds the number ${n} (as "${f}")`)
}

// A response as one searchable text: status, every header and the body.
const haystack = (r) => `${r.status}\n${[...r.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${r.text}`

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

// ---- the world: one signed-in account per role --------------------------------------------------

// The accounts most tests use. Each has a person (employee number E0001, ...).
const CAST = {
  handler: ['mynumber_handler'],
  handler2: ['mynumber_handler'], // a handler the manager gave no scope
  manager: ['mynumber_manager'],
  dual: ['mynumber_handler', 'mynumber_manager'],
  auditor: ['auditor'],
  sysadmin: ['sysadmin'],
  employee: ['employee'],
  ceo: ['ceo'],
  dept_head: ['dept_head'],
  incident_lead: ['incident_lead'],
  education_lead: ['education_lead'],
}

async function world(keys, { start } = {}) {
  return shared(Object.fromEntries(keys.map((k) => [k, CAST[k]])), { start })
}

// The manager gives a handler their scope.
async function scope(w, key, purposes) {
  const r = await w.who.manager.c.put(`/api/mynumber/scopes/${w.who[key].id}`, { purposes })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(r.body.purposes, [...purposes].sort())
}

const ID_CHECK = { number_document: '個人番号カード', identity_document: '個人番号カード' }

async function subject(c, body) {
  const r = await c.post('/api/mynumber/subjects', { identity_check: ID_CHECK, ...body })
  assert.equal(r.status, 201, r.text)
  return r.body
}

function employee(w, who, number, extra = {}) {
  return subject(w.who.handler.c, { kind: 'employee', person_id: w.who[who].person, name: `社員 ${who}`, name_kana: 'シャイン', purposes: ['withholding'], number, ...extra })
}

const reveal = (c, id, purpose) => c.post(`/api/mynumber/subjects/${id}/reveal`, purpose === undefined ? {} : { purpose })


const keyFiles = (dir) => (existsSync(join(dir, 'keys/vault')) ? readdirSync(join(dir, 'keys/vault')).sort() : [])

// ---- 1. check digits and what the API refuses ------------------------------------------------------

test('check digits: the CLI accepts exactly the right final digit, normalises what people type, checks 法人番号', () => {
  let r = run(['mynumber', 'check', '123456789018'])
  assert.equal(r.code, 0, r.stderr)
  for (let d = 0; d <= 9; d++) {
    if (d === 8) continue
    r = run(['mynumber', 'check', `12345678901${d}`])
    assert.equal(r.code, 2, `12345678901${d} must be refused: ${r.stdout}${r.stderr}`)
    assert.match(r.stderr, /check digit/)
    assert.ok(!(r.stdout + r.stderr).includes(`12345678901${d}`), 'the message does not repeat the number')
  }
  // the same check, computed independently, for other numbers
  for (const base of ['98765432109', '00000000001', '31415926535', '27182818284']) {
    const n = valid(base)
    assert.equal(run(['mynumber', 'check', n]).code, 0, n)
    assert.equal(run(['mynumber', 'check', wrongLast(n)]).code, 2, wrongLast(n))
  }
  // full-width digits, hyphens and spaces are normalised
  for (const typed of ['１２３４５６７８９０１８', '1234-5678-9018', '1234 5678 9018', '１２３４－５６７８－９０１８', '１２３４　５６７８　９０１８', ' 123456789018 ']) {
    r = run(['mynumber', 'check', typed])
    assert.equal(r.code, 0, `"${typed}": ${r.stderr}`)
    assert.ok(!r.stdout.includes('123456789018') && !r.stdout.includes('9018'), 'nothing of the number is printed')
  }
  for (const typed of ['１２３４５６７８９０１７', '1234-5678-9017', '12345678901', '1234567890188', '12345678901８x', 'abcd'])
    assert.equal(run(['mynumber', 'check', typed]).code, 2, `"${typed}" must be refused`)
  // 法人番号: the leading check digit
  r = run(['mynumber', 'check', CORPORATE_NTA, '--corporate'])
  assert.equal(r.code, 0, r.stderr)
  for (let d = 0; d <= 9; d++) {
    if (String(d) === CORPORATE_NTA[0]) continue
    assert.equal(run(['mynumber', 'check', `${d}${CORPORATE_NTA.slice(1)}`, '--corporate']).code, 2, `${d}${CORPORATE_NTA.slice(1)}`)
  }
  assert.equal(run(['mynumber', 'check', CORPORATE_NTA]).code, 2, 'a 法人番号 is not a 個人番号')
  assert.equal(run(['mynumber', 'check', '123456789018', '--corporate']).code, 2, 'a 個人番号 is not a 法人番号')
})

test('the API refuses a bad number (check_digit), no purpose, a purpose that does not fit, and a duplicate by its blind index', async () => {
  const w = await world(['handler', 'manager', 'employee'])
  const { handler } = w.who
  const c = handler.c
  const next = numbers(11)
  try {
    const total = async () => (await c.get('/api/mynumber/subjects')).body.total
    // typed with full-width digits and hyphens: stored, masked, never echoed
    let r = await c.post('/api/mynumber/subjects', { kind: 'employee', person_id: w.who.employee.person, name: '山田 太郎', purposes: ['withholding'], number: '１２３４－５６７８－９０１８', identity_check: ID_CHECK })
    assert.equal(r.status, 201, r.text)
    const first = r.body
    assert.equal(first.masked, '********9018')
    assert.equal(first.number_kind, 'individual')
    assert.deepEqual(first.purposes, ['withholding'])
    assert.equal(first.identity_checks.length, 1)
    assertNoNumber(haystack(r), ['123456789018'], 'the 201')

    const base = { kind: 'employee', person_id: w.who.handler.person, name: '佐藤 花子', purposes: ['withholding'], identity_check: ID_CHECK }
    // every wrong final digit is refused with the rule, naming the field
    for (let d = 0; d <= 9; d++) {
      if (d === 8) continue
      r = await c.post('/api/mynumber/subjects', { ...base, number: `12345678901${d}` })
      assert.equal(r.status, 422, r.text)
      assert.deepEqual(errorsOf(r), ['number:check_digit'], `12345678901${d}`)
      assertNoNumber(haystack(r), [`12345678901${d}`], 'the refusal')
    }
    r = await c.post('/api/mynumber/subjects', { ...base, number: '1234-5678-901' })
    assert.equal(r.status, 422)
    assert.deepEqual(errorsOf(r), ['number:length'])
    // no purpose: refused (a number is never held without one)
    for (const purposes of [[], undefined]) {
      r = await c.post('/api/mynumber/subjects', { ...base, purposes, number: next() })
      assert.equal(r.status, 422, r.text)
      assert.ok(errorsOf(r).includes('purposes:required'), JSON.stringify(r.body))
    }
    // a purpose that does not fit the kind (004 ch1 §2-2)
    for (const [kind, purposes, extra] of [
      ['partner', ['withholding'], {}],
      ['employee', ['partner_payment'], {}],
      ['shareholder', ['social_insurance'], {}],
      ['dependant', ['withholding'], { parent_id: first.id, relation: '配偶者' }],
      ['employee', ['withholding', 'no_such_purpose'], {}],
    ]) {
      r = await c.post('/api/mynumber/subjects', { ...base, kind, purposes, number: next(), ...extra })
      assert.equal(r.status, 422, `${kind} ${purposes}: ${r.text}`)
      assert.ok(errorsOf(r).includes('purposes:choice'), `${kind} ${purposes}: ${JSON.stringify(r.body)}`)
    }
    // a partner may give a 法人番号; its check digit is checked too
    r = await c.post('/api/mynumber/subjects', { kind: 'partner', name: '国税庁', purposes: ['partner_payment'], number: CORPORATE_NTA })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.number_kind, 'corporate')
    assert.match(r.body.masked, /^\*+0002$/)
    r = await c.post('/api/mynumber/subjects', { kind: 'partner', name: '偽 法人', purposes: ['partner_payment'], number: '8' + CORPORATE_NTA.slice(1) })
    assert.equal(r.status, 422, r.text)
    assert.ok(errorsOf(r).includes('number:check_digit'), JSON.stringify(r.body))
    r = await c.post('/api/mynumber/subjects', { ...base, number: CORPORATE_NTA })
    assert.equal(r.status, 422, 'an employee has a 12-digit 個人番号')
    assert.deepEqual(errorsOf(r), ['number:length'])

    // a duplicate, however it is typed, names the subject that holds it
    const before = await total()
    for (const typed of ['123456789018', '1234 5678 9018', '１２３４５６７８９０１８']) {
      r = await c.post('/api/mynumber/subjects', { ...base, number: typed })
      assert.equal(r.status, 422, r.text)
      const e = r.body.errors.find((x) => x.field === 'number')
      assert.equal(e?.rule, 'duplicate', JSON.stringify(r.body))
      assert.match(`${e.message} ${e.message_ja}`, new RegExp(`\\b${first.id}\\b`), 'names the other subject id')
      assertNoNumber(haystack(r), ['123456789018'], 'the duplicate refusal')
    }
    // ... found by the blind index, without decrypting: with the vault's key files out of reach the
    // duplicate is still found (a server that decrypted every number to compare could not)
    renameSync(join(w.dir, 'keys/vault'), join(w.dir, 'keys/vault.away'))
    try {
      r = await c.post('/api/mynumber/subjects', { ...base, number: '1234-5678-9018' })
      assert.equal(r.status, 422, r.text)
      assert.equal(r.body.errors.find((x) => x.field === 'number')?.rule, 'duplicate')
      assert.ok(!existsSync(join(w.dir, 'keys/vault')), 'no key was needed (nor made)')
    } finally {
      renameSync(join(w.dir, 'keys/vault.away'), join(w.dir, 'keys/vault'))
    }
    // a correction is checked the same way
    r = await c.put(`/api/mynumber/subjects/${first.id}/number`, { number: wrongLast('123456789018'), reason: '誤記訂正' })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['number:check_digit'])
    assert.equal(await total(), before, 'nothing was stored by any refusal')
    r = await reveal(c, first.id, 'withholding')
    assert.equal(r.status, 403, 'no scope yet')
    await scope(w, 'handler', ['withholding'])
    r = await reveal(c, first.id, 'withholding')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.number, '123456789018', 'stored as normalised digits')
  } finally {
    await w.stop()
  }
})

// ---- 2. who sees what --------------------------------------------------------------------------

// Which roles hold each vault permission (docs/authorization.md; sysadmin lists only with a grant).
const HOLDERS = {
  'mynumber.list': ['handler', 'handler2', 'manager', 'auditor'],
  'mynumber.collect': ['handler', 'handler2'],
  'mynumber.reveal': ['handler', 'handler2'],
  'mynumber.manage': ['manager'],
  'mynumber.report': null, // everyone
}

test('who sees what: every /api/mynumber route as every role; only the in-scope handler\'s reveal shows a number', async () => {
  const ORDER = ['handler', 'handler2', 'auditor', 'sysadmin', 'employee', 'ceo', 'dept_head', 'incident_lead', 'education_lead', 'manager']
  const w = await world(ORDER)
  w.who.security_officer = w.who.officer
  const roles = [...ORDER.slice(0, -1), 'security_officer', 'manager']
  const { handler, handler2, manager } = w.who
  const next = numbers(22)
  const used = []
  const fresh = () => { const n = next(); used.push(n); return n }
  try {
    await scope(w, 'handler', ['withholding', 'social_insurance'])
    let r = await manager.c.get(`/api/mynumber/scopes/${handler.id}`)
    assert.deepEqual(r.body.purposes, ['social_insurance', 'withholding'])
    r = await manager.c.get(`/api/mynumber/scopes/${handler2.id}`)
    assert.deepEqual(r.body.purposes, [])
    r = await handler.c.put(`/api/mynumber/scopes/${handler.id}`, { purposes: ['dependant_declaration'] })
    assert.equal(r.status, 403, 'a handler does not widen their own scope')

    // the subjects: an employee, their dependant, a partner, and one to be deleted during the walk
    const nA = fresh(), nB = fresh(), nP = fresh(), nD = fresh()
    const A = await employee(w, 'employee', nA, { purposes: ['withholding', 'dependant_declaration'] })
    const B = await subject(handler.c, { kind: 'dependant', parent_id: A.id, relation: '配偶者', name: '社員 花子', purposes: ['dependant_declaration', 'social_insurance'], number: grouped(nB, '-') })
    const P = await subject(handler.c, { kind: 'partner', name: '外部 講師', purposes: ['partner_payment'], number: fullWidth(nP) })
    const D = await employee(w, 'ceo', nD)

    // reveal: only with a purpose that is the subject's and in the handler's scope
    const deniedBefore = Number(sql(w.dir, "SELECT count(*) FROM audit_event WHERE outcome = 'denied';"))
    r = await reveal(handler.c, A.id, 'withholding')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.number, nA)
    assert.equal(r.body.purpose, 'withholding')
    r = await reveal(handler.c, B.id, 'social_insurance')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.number, nB)
    const refusals = [
      [handler, A.id, 'social_insurance', [422], 'in scope, not a purpose of the subject'],
      [handler, A.id, 'dependant_declaration', [403], 'the subject\'s purpose, out of the handler\'s scope'],
      [handler, P.id, 'partner_payment', [403], 'out of scope'],
      [handler, A.id, undefined, [422], 'no purpose'],
      [handler, A.id, 'no_such_purpose', [422], 'no such purpose'],
      [handler2, A.id, 'withholding', [403], 'a handler without scope'],
    ]
    for (const key of roles.filter((k) => !k.startsWith('handler'))) refusals.push([w.who[key], A.id, 'withholding', [403], `role ${key}`])
    for (const [who, id, purpose, statuses, why] of refusals) {
      r = await reveal(who.c, id, purpose)
      assert.ok(statuses.includes(r.status), `${why}: ${r.status} ${r.text}`)
      assertNoNumber(haystack(r), [nA, nB, nP], why)
    }
    // each refusal is an audit event with the outcome denied
    const denied = sql(w.dir, `SELECT actor, action, target_type, target_id, details FROM audit_event WHERE outcome = 'denied' ORDER BY seq LIMIT -1 OFFSET ${deniedBefore};`).split('\n')
    assert.equal(denied.length, refusals.length, denied.join('\n'))
    for (const [i, [who, id]] of refusals.entries()) {
      assert.ok(denied[i].startsWith(`${who.login}|`), `refusal ${i} by ${who.login}: ${denied[i]}`)
      assert.ok(denied[i].includes(`|mynumber_subject|${id}|`) || denied[i].includes(`/api/mynumber/subjects/${id}/reveal`), denied[i])
    }
    assert.match(denied[0], /"purpose":"social_insurance"/, 'the purpose asked for is recorded')

    // every route of the vault, as every role, with a realistic body
    const doc = (await manager.c.get('/api/openapi.json')).body
    const routes = []
    for (const [path, ops] of Object.entries(doc.paths))
      if (path.startsWith('/api/mynumber'))
        for (const [method, op] of Object.entries(ops))
          routes.push({ method: method.toUpperCase(), path, perm: (op.description || '').match(/Permission: `([a-z.]+)`/)?.[1] })
    const st = {}
    const month = iso(w.clock.ms).slice(0, 7)
    const bodies = {
      'GET /api/mynumber/purposes': () => [],
      'GET /api/mynumber/subjects': () => ['?q=' + encodeURIComponent('社員') + '&per_page=50'],
      'POST /api/mynumber/subjects': () => ['', { kind: 'employee', person_id: w.who.dept_head.person, name: '社員 新人', name_kana: 'シンジン', purposes: ['withholding'], number: grouped(fresh(), ' '), identity_check: ID_CHECK }],
      'GET /api/mynumber/subjects/{id}': () => [A.id],
      'PATCH /api/mynumber/subjects/{id}': () => [A.id, { name_kana: 'シャイン イチロウ' }],
      'PUT /api/mynumber/subjects/{id}/number': () => [A.id, { number: fullWidth(grouped(nA, '-')), reason: '通知カードの再確認' }],
      'POST /api/mynumber/subjects/{id}/identity-checks': () => [A.id, { number_document: '通知カード', identity_document: '運転免許証' }],
      'POST /api/mynumber/subjects/{id}/reveal': () => [A.id, { purpose: 'withholding' }],
      'POST /api/mynumber/subjects/{id}/deletion': () => [D.id, { confirm_id: D.id, confirm_last4: nD.slice(-4), reason: '退職により利用目的終了' }],
      'GET /api/mynumber/deletion-queue': () => [],
      'POST /api/mynumber/deletions/{id}/decision': () => [st.deletion ?? 999, { decision: 'approved', comment: '確認しました' }],
      'POST /api/mynumber/export': () => ['', { purpose: 'withholding', subject_ids: [A.id], destination: '〇〇税理士事務所' }],
      'GET /api/mynumber/records': () => [],
      'GET /api/mynumber/report': () => [`?month=${month}`],
      'GET /api/mynumber/inspection': () => [`?year=${month.slice(0, 4)}`],
      'GET /api/mynumber/scopes/{id}': () => [handler.id],
      'PUT /api/mynumber/scopes/{id}': () => [handler.id, { purposes: ['social_insurance', 'withholding'] }],
      'GET /api/mynumber/grants': () => [],
      'POST /api/mynumber/grants': () => ['', { login: w.who.sysadmin.login, reason: 'サーバ障害の調査', ends_at: iso(w.clock.ms + 3600e3) }],
      'POST /api/mynumber/grants/{id}/revoke': () => [st.grant ?? 999, {}],
      'GET /api/mynumber/mistakes': () => [],
      'POST /api/mynumber/mistakes': () => ['', { description: '経理宛のメールに取引先社員の個人番号カードの写しが添付されていた' }],
      'POST /api/mynumber/mistakes/{id}/resolve': () => [st.mistake ?? 999, { action: '送信者に連絡し、受信メールを削除した' }],
      'GET /api/mynumber/requests': () => [],
      'POST /api/mynumber/requests': () => ['', { subject_id: A.id, kind: 'disclosure', received_on: month + '-01', identity_checked: true }],
      'PATCH /api/mynumber/requests/{id}': () => [st.request ?? 999, { decision: 'granted', notified_on: month + '-02' }],
      'GET /api/mynumber/epochs': () => [],
      // document_images = no here: uploads are refused (tests/api/mynumber-documents.test.mjs has the rest)
      'GET /api/mynumber/subjects/{id}/documents': () => [A.id],
      'POST /api/mynumber/subjects/{id}/documents': () => [A.id, {}],
      'GET /api/mynumber/documents/{id}': () => [999],
      'DELETE /api/mynumber/documents/{id}': () => [999],
    }
    for (const r of routes) assert.ok(bodies[`${r.method} ${r.path}`], `the walk has no body for ${r.method} ${r.path}`)
    assert.ok(routes.length >= 27, 'every vault route is in the OpenAPI document')
    const remember = { 'POST /api/mynumber/subjects/{id}/deletion': 'deletion', 'POST /api/mynumber/grants': 'grant', 'POST /api/mynumber/mistakes': 'mistake', 'POST /api/mynumber/requests': 'request' }
    let shown = 0
    for (const role of roles) {
      const who = w.who[role]
      for (const route of routes) {
        const key = `${route.method} ${route.path}`
        const [arg = '', body] = bodies[key]()
        const path = route.path.includes('{id}') ? route.path.replace('{id}', arg) : route.path + arg
        const res = await who.c.req(route.method, path, route.method === 'GET' ? undefined : body)
        assert.ok(res.status < 500, `${role} ${key}: ${res.status} ${res.text}`)
        assert.notEqual(res.status, 401, `${role} ${key}: the session was lost`)
        const holders = HOLDERS[route.perm]
        if (holders && !holders.includes(role)) assert.equal(res.status, 403, `${role} ${key} must be refused: ${res.status} ${res.text}`)
        if (role === 'handler' && route.path.endsWith('/reveal')) {
          assert.equal(res.status, 200, res.text)
          assert.equal(res.body.number, nA, 'the in-scope handler sees the number (and the search below can find it)')
          assert.throws(() => assertNoNumber(haystack(res), used, 'x'))
          shown++
          continue
        }
        if (role === 'handler2' && (route.path.endsWith('/reveal') || route.path.endsWith('/export')))
          assert.ok([403, 422].includes(res.status), `a handler without scope: ${key} ${res.status}`)
        if (res.status >= 200 && res.status < 300 && remember[key] && st[remember[key]] === undefined) st[remember[key]] = res.body.id
        assertNoNumber(haystack(res), used, `${role} ${key} (${res.status})`)
      }
    }
    assert.equal(shown, 1)
    assert.ok(st.deletion && st.grant && st.mistake && st.request, `the walk really created things: ${JSON.stringify(st)}`)
    // the walk's deletion went through: D's number is gone
    r = await reveal(handler.c, D.id, 'withholding')
    assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.text}`)
    r = await manager.c.get(`/api/mynumber/subjects/${D.id}`)
    assert.equal(r.body.state, 'deleted')
    assert.equal(r.body.masked, null, 'keep_masked_stub = no')
  } finally {
    await w.stop()
  }
})

test('IT staff: a sysadmin sees the masked list only while a grant of at most it_access_max (1 day) is in force', async () => {
  const w = await world(['handler', 'manager', 'sysadmin', 'employee'])
  const { handler, manager, sysadmin } = w.who
  try {
    const n = valid('50505050505')
    const s = await employee(w, 'employee', n)
    const list = (c) => c.get('/api/mynumber/subjects')
    let r = await list(sysadmin.c)
    assert.equal(r.status, 403, r.text)
    assert.equal((await sysadmin.c.get(`/api/mynumber/subjects/${s.id}`)).status, 403)
    assert.equal((await sysadmin.c.get('/api/mynumber/records')).status, 403)
    // the sysadmin cannot grant it to themselves, nor can the handler
    for (const who of [sysadmin, handler]) {
      r = await who.c.post('/api/mynumber/grants', { login: sysadmin.login, reason: '障害調査', ends_at: iso(w.clock.ms + 3600e3) })
      assert.equal(r.status, 403, r.text)
    }
    // longer than a day is refused; a past end is refused
    r = await manager.c.post('/api/mynumber/grants', { login: sysadmin.login, reason: '障害調査', ends_at: iso(w.clock.ms + 86400e3 + 60e3) })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['ends_at:too_long'])
    r = await manager.c.post('/api/mynumber/grants', { login: sysadmin.login, reason: '障害調査', ends_at: iso(w.clock.ms - 60e3) })
    assert.equal(r.status, 422, r.text)
    r = await manager.c.post('/api/mynumber/grants', { login: sysadmin.login, reason: '', ends_at: iso(w.clock.ms + 3600e3) })
    assert.equal(r.status, 422, 'a grant needs its reason')
    assert.equal((await list(sysadmin.c)).status, 403, 'no refused grant lets anyone in')
    // a grant of 8 hours
    const ends = w.clock.ms + 8 * 3600e3
    r = await manager.c.post('/api/mynumber/grants', { login: sysadmin.login, reason: 'サーバ移行の確認', ends_at: iso(ends) })
    assert.equal(r.status, 201, r.text)
    const grant = r.body.id
    r = await list(sysadmin.c)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.items[0].masked, '********' + n.slice(-4))
    assertNoNumber(haystack(r), [n], 'the masked list')
    r = await sysadmin.c.get(`/api/mynumber/subjects/${s.id}`)
    assert.equal(r.status, 200, r.text)
    assertNoNumber(haystack(r), [n], 'the masked subject')
    // masked only: never the number, never the vault's changes
    r = await reveal(sysadmin.c, s.id, 'withholding')
    assert.equal(r.status, 403, r.text)
    assertNoNumber(haystack(r), [n], 'a sysadmin\'s reveal')
    r = await sysadmin.c.post('/api/mynumber/export', { purpose: 'withholding', destination: 'x' })
    assert.equal(r.status, 403)
    r = await manager.c.get('/api/mynumber/grants')
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body.items.map((g) => [g.id, g.login, g.granted_by]), [[grant, sysadmin.login, manager.login]])
    // just before the end it still works; after the end it is refused again
    w.clock.advance(8 * 3600 - 120)
    await w.relogin('sysadmin')
    assert.equal((await list(sysadmin.c)).status, 200, 'still in force a minute before its end')
    w.clock.ms = ends + 60e3; w.clock.write()
    await w.relogin('sysadmin', 'manager')
    r = await list(sysadmin.c)
    assert.equal(r.status, 403, `after the grant's end: ${r.text}`)
    // a revoked grant ends at once
    r = await w.who.manager.c.post('/api/mynumber/grants', { login: sysadmin.login, reason: '再調査', ends_at: iso(w.clock.ms + 86400e3) })
    assert.equal(r.status, 201, 'exactly one day is allowed: ' + r.text)
    assert.equal((await list(w.who.sysadmin.c)).status, 200)
    r = await w.who.manager.c.post(`/api/mynumber/grants/${r.body.id}/revoke`, {})
    assert.ok(r.status === 204 || r.status === 200, r.text)
    assert.equal((await list(w.who.sysadmin.c)).status, 403, 'revoked')
    // every refusal of the list is audited
    assert.ok(Number(sql(w.dir, `SELECT count(*) FROM audit_event WHERE actor = '${sysadmin.login}' AND outcome = 'denied';`)) >= 5)
  } finally {
    await w.stop()
  }
})

// ---- 3. no number at rest or in any log ---------------------------------------------------------

test('no number at rest or in logs; the vault\'s audit events carry start, end, actor, target, access and purpose', async () => {
  const w = await world(['handler', 'manager', 'employee', 'ceo', 'auditor'])
  const { handler, manager } = w.who
  const next = numbers(33)
  const nums = [next(), next(), next(), next(), next()]
  let stopped = false
  try {
    await scope(w, 'handler', ['withholding', 'dependant_declaration'])
    const a = await employee(w, 'employee', nums[0], { purposes: ['withholding', 'dependant_declaration'] })
    const b = await employee(w, 'ceo', fullWidth(grouped(nums[1], '-')))
    const dep = await subject(handler.c, { kind: 'dependant', parent_id: a.id, relation: '子', name: '社員 次郎', purposes: ['dependant_declaration'], number: grouped(nums[2], ' ') })
    // a refused duplicate and a refused bad number also carry numbers in their requests
    let r = await handler.c.post('/api/mynumber/subjects', { kind: 'employee', person_id: w.who.auditor.person, name: 'x', purposes: ['withholding'], number: nums[0], identity_check: ID_CHECK })
    assert.equal(r.status, 422)
    r = await handler.c.post('/api/mynumber/subjects', { kind: 'employee', person_id: w.who.auditor.person, name: 'x', purposes: ['withholding'], number: wrongLast(nums[4]), identity_check: ID_CHECK })
    assert.equal(r.status, 422)
    // update, correction (b gets a new number; the old one must be gone too), identity check
    r = await handler.c.patch(`/api/mynumber/subjects/${a.id}`, { name_kana: 'シャイン タロウ' })
    assert.equal(r.status, 200, r.text)
    r = await handler.c.put(`/api/mynumber/subjects/${b.id}/number`, { number: nums[3], reason: '番号の誤記を訂正' })
    assert.equal(r.status, 200, r.text)
    r = await handler.c.post(`/api/mynumber/subjects/${a.id}/identity-checks`, { number_document: '通知カード', identity_document: '運転免許証' })
    assert.equal(r.status, 201, r.text)
    // reveal, export, delete
    for (const [id, p, n] of [[a.id, 'withholding', nums[0]], [b.id, 'withholding', nums[3]], [dep.id, 'dependant_declaration', nums[2]]]) {
      r = await reveal(handler.c, id, p)
      assert.equal(r.status, 200, r.text)
      assert.equal(r.body.number, n)
    }
    r = await reveal(handler.c, a.id, 'social_insurance')
    assert.equal(r.status, 422)
    r = await handler.c.post('/api/mynumber/export', { purpose: 'withholding', destination: '税理士事務所' })
    assert.equal(r.status, 201, r.text)
    const exportPassword = r.body.password
    r = await handler.c.post(`/api/mynumber/subjects/${dep.id}/deletion`, { confirm_id: dep.id, confirm_last4: nums[2].slice(-4), reason: '扶養から外れた' })
    assert.equal(r.status, 201, r.text)
    r = await manager.c.post(`/api/mynumber/deletions/${r.body.id}/decision`, { decision: 'approved', comment: '' })
    assert.equal(r.status, 200, r.text)
    // a number received by mistake is refused in the report, so it is not stored either
    r = await w.who.employee.c.post('/api/mynumber/mistakes', { description: `届いた番号は ${nums[4]} でした` })
    assert.equal(r.status, 422, r.text)
    // lists and reports as the manager and the auditor
    for (const p of ['/api/mynumber/subjects', '/api/mynumber/records', `/api/mynumber/subjects/${a.id}`]) assert.equal((await w.who.auditor.c.get(p)).status, 200)
    assert.equal((await manager.c.get('/api/mynumber/report?month=2027-04')).status, 200)

    // the audit events of the vault
    const rows = JSON.parse(sql(w.dir, ".mode json\nSELECT seq, started_at, ended_at, actor, action, target_type, target_id, access, outcome, details FROM audit_event WHERE target_type = 'mynumber_subject' ORDER BY seq;"))
    const ev = (action, id) => rows.filter((e) => e.action === action && (id === undefined || e.target_id === String(id)))
    const timeRe = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/
    for (const e of rows) {
      assert.match(e.started_at, timeRe, JSON.stringify(e))
      assert.match(e.ended_at, timeRe, JSON.stringify(e))
      assert.ok(Date.parse(e.ended_at) >= Date.parse(e.started_at), JSON.stringify(e))
      assert.ok(e.actor && e.actor !== 'anonymous', JSON.stringify(e))
      assert.ok(/^(\d+|\*)$/.test(e.target_id), JSON.stringify(e))
      assert.ok(['read', 'create', 'update', 'delete', 'output'].includes(e.access), JSON.stringify(e))
    }
    const one = (action, id, access, actor) => {
      const list = ev(action, id)
      assert.ok(list.length >= 1, `an audit event ${action} of subject ${id}: ${JSON.stringify(rows.map((e) => e.action))}`)
      assert.ok(list.every((e) => e.access === access && e.actor === actor), `${action}: ${JSON.stringify(list)}`)
      return list
    }
    one('mynumber.create', a.id, 'create', handler.login)
    one('mynumber.update', a.id, 'update', handler.login)
    one('mynumber.correct', b.id, 'update', handler.login)
    one('mynumber.view', a.id, 'read', w.who.auditor.login)
    const reveals = ev('mynumber.reveal', a.id).filter((e) => e.outcome === 'success')
    assert.equal(reveals.length, 1)
    assert.equal(reveals[0].access, 'read')
    assert.equal(JSON.parse(reveals[0].details).purpose, 'withholding', 'the purpose of the reveal is in the details')
    const deniedReveal = ev('mynumber.reveal', a.id).filter((e) => e.outcome === 'denied')
    assert.equal(deniedReveal.length, 1)
    assert.equal(JSON.parse(deniedReveal[0].details).purpose, 'social_insurance')
    for (const id of [a.id, b.id]) assert.equal(JSON.parse(one('mynumber.export', id, 'output', handler.login)[0].details).purpose, 'withholding')
    one('mynumber.delete', dep.id, 'delete', manager.login)
    assert.ok(ev('mynumber.list').length >= 1)

    assert.equal(await w.server.stop(), 0, w.server.stderr)
    stopped = true
    // the data directory (database, WAL, keys, anything else), the server's output, the audit trail
    const where = files(w.dir).map((f) => [f, readFileSync(f)])
    assert.ok(where.some(([f]) => f.endsWith('mamori.db')) && where.some(([f]) => f.includes('keys/vault/')), where.map(([f]) => f).join(' '))
    assert.ok(where.some(([, buf]) => buf.toString('utf8').includes('社員 ceo')), 'the search reads the stored text (a subject\'s name is found)')
    for (const [f, buf] of where) {
      assertNoNumber(buf.toString('latin1'), nums, f)
      assertNoNumber(buf.toString('utf8'), nums, f)
      const even = buf.subarray(0, buf.length - (buf.length % 2))
      assertNoNumber(even.toString('utf16le') + Buffer.from(even).swap16().toString('utf16le'), nums, `${f} (UTF-16)`)
    }
    assertNoNumber(w.server.stdout, nums, 'server stdout')
    assertNoNumber(w.server.stderr, nums, 'server stderr')
    const trail = sql(w.dir, '.mode json\nSELECT * FROM audit_event;')
    assert.ok(trail.length > 1000)
    assertNoNumber(trail, nums, 'the audit trail')
    // nor the export's password, shown once
    for (const [f, buf] of where) assert.ok(!buf.toString('latin1').includes(exportPassword), `${f} holds the export password`)
    assert.ok(!trail.includes(exportPassword))
  } finally {
    if (!stopped) await w.stop()
  }
})

// ---- 4. crypto-shredding ------------------------------------------------------------------------

test('deletion: retention end, queue, double confirmation, four eyes, shredding of the epoch key, records, asset ledger, and the backup no longer opens', async () => {
  const w = await world(['handler', 'dual', 'manager', 'employee', 'ceo', 'dept_head'])
  const { handler, dual, officer } = w.who
  const [n1, n2, n3] = [valid('70707070701'), valid('70707070702'), valid('70707070703')]
  let restored
  try {
    await scope(w, 'handler', ['withholding'])
    // an information asset that holds 特定個人情報, and one that does not
    const asset = (extra) => officer.c.post('/api/registers/assets/records', {
      name: '特定個人情報ファイル（源泉徴収事務）', department: '総務部', manager: w.who.manager.person, user_scope: '事務取扱担当者',
      medium: 'server', storage_location: 'mamori（社内サーバー）', personal_info: true, confidentiality: 2, integrity: 1, availability: 1, ...extra,
    })
    let r = await asset({ asset_no: 'A-MN-01', mynumber: true, notes: '対象者: 従業員。利用目的: 源泉徴収票作成事務' })
    assert.equal(r.status, 201, r.text)
    const mnAsset = r.body.id
    r = await asset({ asset_no: 'A-HR-01', name: '人事評価表', mynumber: false, notes: '評価' })
    assert.equal(r.status, 201, r.text)
    const otherAsset = r.body.id

    const s1 = await employee(w, 'employee', n1)
    const s2 = await employee(w, 'ceo', n2)
    const s3 = await employee(w, 'dept_head', n3) // stays in the open epoch
    assert.equal(s1.retention_end, null)
    assert.deepEqual(keyFiles(w.dir), ['open.1.key'])
    // the use ended: retention ends on Dec 31 of that year + 7 years (004 ch4 §2.11)
    r = await handler.c.patch(`/api/mynumber/subjects/${s1.id}`, { use_ended_on: '2020-06-30' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.use_ended_on, '2020-06-30')
    assert.equal(r.body.retention_end, '2027-12-31')
    r = await handler.c.patch(`/api/mynumber/subjects/${s2.id}`, { use_ended_on: '2020-01-01' })
    assert.equal(r.body.retention_end, '2027-12-31')
    r = await handler.c.patch(`/api/mynumber/subjects/${s3.id}`, { use_ended_on: '2024-03-31' })
    assert.equal(r.body.retention_end, '2031-12-31', 'retention_end follows use_ended_on')
    r = await handler.c.patch(`/api/mynumber/subjects/${s3.id}`, { use_ended_on: null })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.retention_end, null, 'back to no end')
    assert.ok(keyFiles(w.dir).includes('2027.1.key'), `the numbers moved to the key of their retention year: ${keyFiles(w.dir)}`)
    assert.ok(keyFiles(w.dir).includes('open.1.key'))
    for (const s of [s1, s2, s3]) assert.equal((await reveal(handler.c, s.id, 'withholding')).status, 200, 'still opens after the rewrap')
    r = await w.who.manager.c.get('/api/mynumber/epochs')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.items.find((e) => e.epoch === '2027')?.numbers, 2, JSON.stringify(r.body))

    // not due before its end, due the day after
    const due = async () => {
      const q = await w.who.manager.c.get('/api/mynumber/deletion-queue')
      assert.equal(q.status, 200, q.text)
      return q.body
    }
    assert.deepEqual((await due()).due, [])
    w.setClock('2027-12-31T21:00:00+09:00')
    await w.relogin()
    assert.deepEqual((await due()).due, [], 'on the last day of retention it is not due yet')
    w.setClock('2028-01-01T09:00:00+09:00')
    await w.relogin()
    let q = await due()
    assert.deepEqual(q.due.map((d) => [d.id, d.retention_end]), [[s1.id, '2027-12-31'], [s2.id, '2027-12-31']])
    assertNoNumber(JSON.stringify(q), [n1, n2, n3], 'the queue')

    // a backup of the database, taken now (README: sqlite3 .backup), while the server runs
    const base = dirname(w.dir)
    mkdirSync(join(base, 'backup'), { mode: 0o700 })
    execFileSync('sqlite3', [join(w.dir, 'mamori.db'), `.backup '${join(base, 'backup', 'mamori.db')}'`])

    // the deletion request: the id and the last four digits typed again
    const del = (who, id, body) => w.who[who].c.post(`/api/mynumber/subjects/${id}/deletion`, body)
    r = await del('dual', s1.id, { confirm_id: s2.id, confirm_last4: n1.slice(-4), reason: '保存期間満了' })
    assert.equal(r.status, 422, r.text)
    assert.ok(r.body.errors.some((e) => e.field === 'confirm_id' && e.rule === 'confirm'), JSON.stringify(r.body))
    r = await del('dual', s1.id, { confirm_id: s1.id, confirm_last4: n2.slice(-4), reason: '保存期間満了' })
    assert.equal(r.status, 422, r.text)
    assert.ok(r.body.errors.some((e) => e.field === 'confirm_last4' && e.rule === 'confirm'), JSON.stringify(r.body))
    r = await del('dual', s1.id, { confirm_id: s1.id, reason: '保存期間満了' })
    assert.equal(r.status, 422, 'the last four digits are required')
    r = await del('manager', s1.id, { confirm_id: s1.id, confirm_last4: n1.slice(-4), reason: '保存期間満了' })
    assert.equal(r.status, 403, 'the manager does not request deletions')
    assert.deepEqual((await due()).requests, [], 'no refused request was recorded')
    r = await del('dual', s1.id, { confirm_id: s1.id, confirm_last4: n1.slice(-4), reason: '保存期間満了（2027年末）' })
    assert.equal(r.status, 201, r.text)
    const req1 = r.body.id
    q = await due()
    assert.deepEqual(q.requests.map((x) => [x.id, x.subject_id, x.requested_by]), [[req1, s1.id, dual.login]])
    assert.equal((await w.who.manager.c.get(`/api/mynumber/subjects/${s1.id}`)).body.state, 'deletion_requested')
    r = await del('handler', s1.id, { confirm_id: s1.id, confirm_last4: n1.slice(-4), reason: '二重' })
    assert.equal(r.status, 422, 'a second request for the same subject is refused')
    // nobody approves their own request; the handler cannot approve at all
    r = await dual.c.post(`/api/mynumber/deletions/${req1}/decision`, { decision: 'approved', comment: '' })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.body.rule, 'self_approval')
    r = await handler.c.post(`/api/mynumber/deletions/${req1}/decision`, { decision: 'approved', comment: '' })
    assert.equal(r.status, 403, r.text)
    assert.equal((await reveal(handler.c, s1.id, 'withholding')).status, 200, 'nothing was deleted yet')
    // the manager approves: the number is gone at once
    w.clock.advance(120)
    const approvedAt = w.clock.ms
    r = await w.who.manager.c.post(`/api/mynumber/deletions/${req1}/decision`, { decision: 'approved', comment: '保存期間の満了を確認' })
    assert.equal(r.status, 200, r.text)
    r = await reveal(handler.c, s1.id, 'withholding')
    assert.ok(r.status >= 400 && r.status < 500, `the number is gone: ${r.status} ${r.text}`)
    assertNoNumber(haystack(r), [n1], 'the refused reveal')
    r = await w.who.manager.c.get(`/api/mynumber/subjects/${s1.id}`)
    assert.equal(r.body.state, 'deleted')
    assert.equal(r.body.masked, null)
    r = await w.who.manager.c.post(`/api/mynumber/deletions/${req1}/decision`, { decision: 'approved', comment: '' })
    assert.equal(r.status, 422, 'decided once')
    // epoch 2027 still holds s2: its key stays
    assert.ok(keyFiles(w.dir).includes('2027.1.key'), `the key stays while s2 is in the epoch: ${keyFiles(w.dir)}`)
    assert.equal((await reveal(handler.c, s2.id, 'withholding')).body?.number, n2)
    // a rejected request changes nothing; then s2 goes too, and with it the epoch's key
    r = await del('handler', s2.id, { confirm_id: s2.id, confirm_last4: n2.slice(-4), reason: '保存期間満了' })
    assert.equal(r.status, 201, r.text)
    r = await w.who.manager.c.post(`/api/mynumber/deletions/${r.body.id}/decision`, { decision: 'rejected', comment: '源泉徴収票の再発行依頼あり' })
    assert.equal(r.status, 200, r.text)
    assert.equal((await reveal(handler.c, s2.id, 'withholding')).status, 200)
    r = await del('handler', s2.id, { confirm_id: s2.id, confirm_last4: n2.slice(-4), reason: '保存期間満了' })
    assert.equal(r.status, 201, r.text)
    r = await w.who.manager.c.post(`/api/mynumber/deletions/${r.body.id}/decision`, { decision: 'approved', comment: '' })
    assert.equal(r.status, 200, r.text)
    assert.ok(!keyFiles(w.dir).some((f) => f.startsWith('2027.')), `the key of epoch 2027 is destroyed: ${keyFiles(w.dir)}`)
    assert.ok(keyFiles(w.dir).includes('open.1.key'), 'other epochs keep their keys')
    assert.equal((await reveal(handler.c, s3.id, 'withholding')).body?.number, n3)
    assert.deepEqual((await due()).due, [])

    // the 取扱記録簿: who, when, what and how
    r = await w.who.manager.c.get('/api/mynumber/records')
    assert.equal(r.status, 200, r.text)
    const recs = r.body.items.filter((x) => x.action === 'deletion')
    assert.deepEqual(recs.map((x) => x.subject_id), [s1.id, s2.id])
    assert.equal(recs[0].actor, w.who.manager.login)
    assert.ok(Math.abs(Date.parse(recs[0].at) - approvedAt) < 5000, `when: ${recs[0].at}`)
    assert.match(recs[0].detail, new RegExp(dual.login), 'who asked')
    assert.match(recs[0].detail, new RegExp(w.who.manager.login), 'who approved')
    assert.match(recs[0].detail, /鍵/, 'how')
    assertNoNumber(JSON.stringify(r.body), [n1, n2, n3], 'the 取扱記録簿')
    // the asset ledger: the notes of the 特定個人情報 asset, and its history
    await w.relogin('officer')
    r = await officer.c.get(`/api/registers/assets/records/${mnAsset}`)
    assert.equal(r.status, 200, r.text)
    assert.match(r.body.notes, /^対象者: 従業員。利用目的: 源泉徴収票作成事務\n/, 'the old notes stay')
    const lines = r.body.notes.split('\n').slice(1)
    assert.equal(lines.length, 2, r.body.notes)
    assert.match(lines[0], new RegExp(`対象者 ${s1.id}\\b`))
    assert.match(lines[0], new RegExp(dual.login))
    assert.match(lines[0], new RegExp(w.who.manager.login))
    assert.match(lines[0], /^2028-01-01/)
    r = await officer.c.get(`/api/registers/assets/records/${mnAsset}/history`)
    const h = r.body.items
    assert.equal(h.length, 3, JSON.stringify(h))
    assert.equal(h[1].action, 'update')
    assert.equal(h[1].actor, w.who.manager.login)
    assert.deepEqual(h[1].changes.map((c) => c.field), ['notes'])
    r = await officer.c.get(`/api/registers/assets/records/${otherAsset}`)
    assert.equal(r.body.notes, '評価', 'an asset without 特定個人情報 is untouched')

    // restore the backup (README: the database and policy.ini, with the keys as they are now)
    assert.equal(await w.server.stop(), 0, w.server.stderr)
    w.server = null
    const dst = join(base, 'restored')
    mkdirSync(dst, { mode: 0o700 })
    execFileSync('cp', ['-p', join(base, 'backup', 'mamori.db'), join(w.dir, 'policy.ini'), dst])
    execFileSync('cp', ['-rp', join(w.dir, 'keys'), join(dst, 'keys')])
    restored = await startServer(dst, { env: w.clock.env })
    const c = new Client(restored.url)
    w.clock.advance(30)
    r = await c.login(handler.login, handler.password, totp(handler.secret, w.clock))
    assert.equal(r.status, 201, r.text)
    r = await c.get(`/api/mynumber/subjects/${s1.id}`)
    assert.equal(r.body.state, 'active', 'the backup still has the row of s1')
    assert.equal(r.body.masked, '********' + n1.slice(-4))
    r = await reveal(c, s3.id, 'withholding')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.number, n3, 'a number of another epoch still opens from the backup')
    const refused = []
    for (const s of [s1, s2]) {
      r = await reveal(c, s.id, 'withholding')
      assert.ok(r.status >= 400, `the backup's copy of subject ${s.id} must not open: ${r.status} ${r.text}`)
      assertNoNumber(haystack(r), [n1, n2], 'the restored reveal')
      refused.push(r)
    }
    assertNoNumber(restored.stdout + restored.stderr, [n1, n2, n3], 'the restored server\'s output')
    for (const x of refused) {
      assert.ok(x.status < 500, `a destroyed epoch is no internal error: ${x.status} ${x.text}`)
      assert.match(x.text, /2027/, `the error names the destroyed epoch: ${x.status} ${x.text}`)
    }
  } finally {
    if (restored) await restored.stop()
    if (w.server) await w.stop()
  }
})

// ---- 5. export ----------------------------------------------------------------------------------

test('export: an AES-256 ZIP with a one-time password, recorded as output and as a take-out awaiting the manager', async () => {
  const w = await world(['handler', 'handler2', 'manager', 'auditor', 'employee', 'ceo', 'sysadmin'])
  const { handler, handler2, manager } = w.who
  const [n1, n2, n3] = [valid('80808080801'), valid('80808080802'), valid('80808080803')]
  const tmp = mkdtempSync(join(tmpdir(), 'mamori-export-'))
  try {
    await scope(w, 'handler', ['withholding'])
    await scope(w, 'handler2', ['social_insurance'])
    const a = await employee(w, 'employee', n1, { name: '輸出 一郎' })
    const b = await employee(w, 'ceo', n2, { name: '輸出 二郎', purposes: ['withholding', 'social_insurance'] })
    const c = await employee(w, 'auditor', n3, { name: '輸出 三郎', purposes: ['social_insurance'] })
    const ex = (who, body) => w.who[who].c.post('/api/mynumber/export', body)

    let r = await ex('handler', { purpose: 'withholding', destination: '〇〇税理士事務所' })
    assert.equal(r.status, 201, r.text)
    const out = r.body
    assert.equal(out.count, 2)
    assert.match(out.filename, /\.zip$/)
    assert.ok(out.password.length >= 12, 'a generated password')
    assertNoNumber(haystack(r), [n1, n2, n3], 'the export response (outside the encrypted file)')
    const zip = join(tmp, out.filename)
    writeFileSync(zip, Buffer.from(out.file, 'base64'))
    // encrypted with AES-256
    const listing = execFileSync('7z', ['l', '-slt', `-p${out.password}`, zip], { encoding: 'utf8' })
    assert.match(listing, /Method = .*AES-256/, listing)
    assert.match(listing, /Encrypted = \+/)
    // without the password (or with a wrong one) it does not open
    for (const args of [['-pwrong-password'], ['-p']]) {
      const bad = spawnSync('7z', ['x', '-y', ...args, `-o${join(tmp, 'bad')}`, zip], { encoding: 'utf8', input: '' })
      assert.notEqual(bad.status, 0, `7z x ${args}: ${bad.stdout}`)
      const got = existsSync(join(tmp, 'bad')) ? files(join(tmp, 'bad')).map((f) => readFileSync(f, 'utf8')).join('') : ''
      assertNoNumber(got, [n1, n2], 'a file opened without the password')
    }
    // with it, the CSV holds the numbers of the purpose, and no other
    execFileSync('7z', ['x', '-y', `-p${out.password}`, `-o${join(tmp, 'ok')}`, zip], { encoding: 'utf8' })
    const csvs = files(join(tmp, 'ok'))
    assert.equal(csvs.length, 1, csvs.join(' '))
    assert.match(csvs[0], /\.csv$/)
    const csv = readFileSync(csvs[0], 'utf8').replace(/^\uFEFF/, '')
    const rows = csv.trim().split(/\r?\n/)
    assert.equal(rows.length, 3, csv)
    assert.match(rows[0], /番号/)
    assert.ok(rows.some((l) => l.includes(n1) && l.includes('輸出 一郎')), csv)
    assert.ok(rows.some((l) => l.includes(n2) && l.includes('輸出 二郎')), csv)
    assert.ok(!csv.includes(n3), 'not a subject of the purpose')
    // the take-out: 特定個人情報, awaiting the manager's approval
    r = await manager.c.get(`/api/registers/takeouts/records/${out.takeout_id}`)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.item_class, 'mynumber')
    assert.equal(r.body.person, handler.person)
    assert.equal(r.body.destination, '〇〇税理士事務所')
    assert.equal(r.body.encrypted, true)
    assert.equal(r.body.approver, null, 'not approved yet')
    assert.equal(r.body.takeout_time, null)
    assert.ok(r.body.item.includes(out.filename), r.body.item)
    assertNoNumber(haystack(r), [n1, n2], 'the take-out')
    r = await manager.c.get(`/api/registers/takeouts/records/${out.takeout_id}/approvals`)
    assert.deepEqual(r.body.approver_roles, ['mynumber_manager'])
    assert.deepEqual(r.body.items, [])
    r = await manager.c.patch(`/api/registers/takeouts/records/${out.takeout_id}`, { takeout_time: iso(w.clock.ms + 60e3) })
    assert.equal(r.status, 422, 'it cannot leave before the approval')
    assert.deepEqual(errorsOf(r), ['takeout_time:approval'])
    // the 取扱記録簿: an output per subject, and the take-out
    r = await manager.c.get('/api/mynumber/records')
    const outputs = r.body.items.filter((x) => x.action === 'output')
    assert.deepEqual(outputs.map((x) => [x.subject_id, x.purpose, x.actor]), [[a.id, 'withholding', handler.login], [b.id, 'withholding', handler.login]])
    assert.ok(outputs.every((x) => x.detail.includes(out.filename)))
    assert.equal(r.body.items.filter((x) => x.action === 'takeout').length, 1)
    // the audit trail: access output per subject, with the purpose
    const audit = sql(w.dir, "SELECT target_type, target_id, access, details, actor FROM audit_event WHERE action = 'mynumber.export' ORDER BY seq;").split('\n')
    assert.deepEqual(audit, [a.id, b.id].map((id) => `mynumber_subject|${id}|output|{"purpose":"withholding"}|${handler.login}`))

    // one subject chosen
    w.clock.advance(1)
    r = await ex('handler', { purpose: 'withholding', subject_ids: [b.id], destination: '年金事務所' })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.count, 1)
    assert.notEqual(r.body.password, out.password, 'a new password each time')
    // refusals: out of scope, no destination, a subject without the purpose; a non-handler gets 403
    r = await ex('handler', { purpose: 'social_insurance', destination: '年金事務所' })
    assert.equal(r.status, 422, r.text)
    r = await ex('handler', { purpose: 'withholding', destination: '' })
    assert.equal(r.status, 422, r.text)
    r = await ex('handler', { purpose: 'withholding', subject_ids: [c.id], destination: '年金事務所' })
    assert.equal(r.status, 422, `subject ${c.id} has not the purpose: ${r.text}`)
    r = await ex('handler2', { purpose: 'withholding', destination: '年金事務所' })
    assert.ok([403, 422].includes(r.status), r.text)
    for (const who of ['manager', 'auditor', 'employee', 'ceo', 'sysadmin', 'officer']) {
      r = await ex(who, { purpose: 'withholding', destination: '年金事務所' })
      assert.equal(r.status, 403, `${who}: ${r.text}`)
      assert.ok(!r.body?.file)
    }
    assert.equal(Number(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'mynumber.export';")), 3, 'refused exports output nothing')
    w.clock.advance(1)
    r = await handler2.c.post('/api/mynumber/export', { purpose: 'social_insurance', destination: '年金事務所' })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.count, 2, 'b and c have social_insurance')
    // two handlers exporting at the same instant both get their file (the take-out numbers differ)
    w.clock.advance(1)
    const [x1, x2] = await Promise.all([ex('handler', { purpose: 'withholding', destination: '税理士事務所' }), ex('handler2', { purpose: 'social_insurance', destination: '年金事務所' })])
    assert.deepEqual([x1.status, x2.status], [201, 201], `exports at the same instant: ${x1.text.slice(0, 200)} / ${x2.text.slice(0, 200)}`)
    assert.notEqual(x1.body.takeout_id, x2.body.takeout_id)
  } finally {
    await w.stop()
  }
})

// ---- 6. access report, inspection, mistakes, requests -------------------------------------------

test('the monthly access report, the yearly inspection data, mistakes (anyone reports, the manager resolves), requests', async () => {
  const w = await world(['handler', 'manager', 'auditor', 'employee', 'ceo', 'sysadmin'], { start: '2027-04-20T10:00:00+09:00' })
  const { handler, manager, auditor } = w.who
  const n = valid('60606060601')
  try {
    await scope(w, 'handler', ['withholding'])
    const s = await employee(w, 'employee', n)
    for (let i = 0; i < 2; i++) assert.equal((await reveal(handler.c, s.id, 'withholding')).status, 200)
    assert.equal((await auditor.c.get('/api/mynumber/subjects')).status, 200)
    // May
    w.setClock('2027-05-02T10:00:00+09:00')
    await w.relogin()
    assert.equal((await reveal(w.who.handler.c, s.id, 'withholding')).status, 200)
    assert.equal((await reveal(w.who.handler.c, s.id, 'social_insurance')).status, 422)

    const report = async (month, who = 'manager') => w.who[who].c.get(`/api/mynumber/report?month=${month}`)
    let r = await report('2027-04')
    assert.equal(r.status, 200, r.text)
    const count = (body, actor, action, outcome = 'success') => body.by_user.filter((x) => x.actor === actor && x.action === action && x.outcome === outcome).reduce((t, x) => t + x.count, 0)
    assert.equal(count(r.body, handler.login, 'mynumber.reveal'), 2, JSON.stringify(r.body.by_user))
    assert.equal(count(r.body, handler.login, 'mynumber.create'), 1)
    assert.equal(count(r.body, auditor.login, 'mynumber.list'), 1)
    assert.equal(count(r.body, handler.login, 'mynumber.reveal', 'denied'), 0)
    assert.ok(r.body.by_user.find((x) => x.action === 'mynumber.reveal').access === 'read')
    assert.ok(r.body.events.length >= 4)
    for (const e of r.body.events) {
      assert.ok(Date.parse(e.started_at) >= Date.parse('2027-04-01T00:00:00+09:00') && Date.parse(e.started_at) < Date.parse('2027-05-01T00:00:00+09:00'), `${e.started_at} is in April (JST)`)
      assert.ok(e.actor && e.action && e.access && e.ended_at, JSON.stringify(e))
    }
    assert.ok(r.body.events.some((e) => e.action === 'mynumber.reveal' && JSON.parse(e.details).purpose === 'withholding'))
    assertNoNumber(haystack(r), [n], 'the report')
    r = await report('2027-05')
    assert.equal(count(r.body, handler.login, 'mynumber.reveal'), 1)
    assert.equal(count(r.body, handler.login, 'mynumber.reveal', 'denied'), 1)
    assert.ok(r.body.by_user.every((x) => x.actor !== auditor.login || x.action !== 'mynumber.list'))
    for (const bad of ['2027-13', '2027-00', 'april', ''])
      assert.equal((await report(bad)).status, 422, bad)
    for (const who of ['handler', 'auditor', 'employee', 'ceo', 'sysadmin'])
      assert.equal((await report('2027-04', who)).status, 403, who)

    // the inspection data for the year
    r = await w.who.manager.c.get('/api/mynumber/inspection?year=2027')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.year, '2027')
    assert.deepEqual(r.body.subjects, [{ kind: 'employee', state: 'active', count: 1 }])
    const recs = Object.fromEntries(r.body.records.map((x) => [x.action, x.count]))
    assert.equal(recs.use, 3, JSON.stringify(r.body.records))
    assert.equal(recs.collect, 1)
    assert.ok(Array.isArray(r.body.grants) && Array.isArray(r.body.mistakes))
    r = await w.who.manager.c.get('/api/mynumber/inspection?year=2026')
    assert.equal(r.status, 200)
    assert.deepEqual(r.body.records, [], 'nothing was handled in 2026')
    assert.equal((await w.who.manager.c.get('/api/mynumber/inspection?year=27')).status, 422)
    for (const who of ['handler', 'auditor', 'employee'])
      assert.equal((await w.who[who].c.get('/api/mynumber/inspection?year=2027')).status, 403, who)

    // mistakes: anyone reports (never with the number), only the manager lists and resolves
    const reporters = ['employee', 'ceo', 'sysadmin', 'auditor', 'handler', 'manager', 'officer']
    const ids = {}
    for (const who of reporters) {
      r = await w.who[who].c.post('/api/mynumber/mistakes', { description: `${who}: 取引先から他社の従業員の扶養控除申告書がFAXで届いた` })
      assert.equal(r.status, 201, `${who}: ${r.text}`)
      ids[who] = r.body.id
    }
    const m = valid('61616161616')
    for (const typed of [m, grouped(m, '-'), grouped(m, ' '), fullWidth(m), fullWidth(grouped(m, '-')), `番号:${m}です`]) {
      r = await w.who.employee.c.post('/api/mynumber/mistakes', { description: `届いた書類の番号は ${typed}` })
      assert.equal(r.status, 422, `"${typed}" must be refused: ${r.text}`)
      assert.deepEqual(errorsOf(r), ['description:mynumber'])
    }
    r = await w.who.employee.c.post('/api/mynumber/mistakes', { description: '' })
    assert.equal(r.status, 422)
    for (const who of reporters.filter((k) => k !== 'manager'))
      assert.equal((await w.who[who].c.get('/api/mynumber/mistakes')).status, 403, `${who} does not list mistakes`)
    r = await w.who.manager.c.get('/api/mynumber/mistakes')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.items.length, reporters.length)
    assert.deepEqual(r.body.items.map((x) => x.reported_by).sort(), reporters.map((k) => w.who[k].login).sort())
    assert.ok(r.body.items.every((x) => x.state === 'open'))
    assertNoNumber(haystack(r), [m], 'the mistakes')
    r = await w.who.handler.c.post(`/api/mynumber/mistakes/${ids.employee}/resolve`, { action: '送信元に返送' })
    assert.equal(r.status, 403)
    r = await w.who.manager.c.post(`/api/mynumber/mistakes/${ids.employee}/resolve`, { action: '' })
    assert.equal(r.status, 422)
    r = await w.who.manager.c.post(`/api/mynumber/mistakes/${ids.employee}/resolve`, { action: '送信元に連絡し、原本を返送。複写は残していない' })
    assert.equal(r.status, 200, r.text)
    r = await w.who.manager.c.post(`/api/mynumber/mistakes/${ids.employee}/resolve`, { action: '再度' })
    assert.ok(r.status === 404 || r.status === 422, `resolved once: ${r.status}`)
    const item = (await w.who.manager.c.get('/api/mynumber/mistakes')).body.items.find((x) => x.id === ids.employee)
    assert.equal(item.state, 'resolved')
    assert.equal(item.resolved_by, w.who.manager.login)
    assert.equal(item.action, '送信元に連絡し、原本を返送。複写は残していない')
    r = await w.who.manager.c.get('/api/mynumber/inspection?year=2027')
    assert.equal(r.body.mistakes.length, reporters.length, 'the inspection lists the mistakes')

    // requests from individuals: disclosure, correction, stop; a refusal needs its reason
    r = await w.who.employee.c.post('/api/mynumber/requests', { subject_id: s.id, kind: 'disclosure', received_on: '2027-05-01' })
    assert.equal(r.status, 403)
    r = await w.who.handler.c.post('/api/mynumber/requests', { subject_id: s.id, kind: 'delete_everything', received_on: '2027-05-01' })
    assert.equal(r.status, 422)
    assert.deepEqual(errorsOf(r), ['kind:choice'])
    r = await w.who.handler.c.post('/api/mynumber/requests', { subject_id: s.id, kind: 'disclosure', received_on: '2027-05-01', identity_checked: true })
    assert.equal(r.status, 201, r.text)
    const rq = r.body.id
    r = await w.who.handler.c.patch(`/api/mynumber/requests/${rq}`, { decision: 'refused' })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['reason:required'])
    r = await w.who.handler.c.patch(`/api/mynumber/requests/${rq}`, { decision: 'refused', reason: '', notified_on: '2027-05-10' })
    assert.equal(r.status, 422, 'an empty reason is no reason')
    r = await w.who.handler.c.patch(`/api/mynumber/requests/${rq}`, { decision: 'refused', reason: '本人確認ができなかったため', notified_on: '2027-05-10' })
    assert.equal(r.status, 200, r.text)
    r = await w.who.handler.c.patch('/api/mynumber/requests/9999', { decision: 'granted' })
    assert.equal(r.status, 404)
    r = await w.who.manager.c.get('/api/mynumber/requests')
    assert.equal(r.status, 200, r.text)
    const got = r.body.items.find((x) => x.id === rq)
    assert.deepEqual([got.subject_id, got.kind, got.received_on, got.identity_checked, got.decision, got.reason, got.notified_on],
      [s.id, 'disclosure', '2027-05-01', 1, 'refused', '本人確認ができなかったため', '2027-05-10'])

    // every way of writing a number that the vault itself accepts as one (number.c: the hyphens
    // U+2010 ‐ and U+2212 −, the long vowel mark ー, ideographic spaces, runs of separators) is refused
    // in a mistake report too, or the report would store the number in clear
    const accepted = []
    for (const typed of [grouped(m, '‐'), grouped(m, '−'), grouped(m, 'ー'), grouped(m, '　'), grouped(m, '  '), grouped(m, ' - ')]) {
      assert.equal(run(['mynumber', 'check', typed]).code, 0, `the vault takes "${typed}" as a number`)
      r = await w.who.employee.c.post('/api/mynumber/mistakes', { description: `届いた書類の番号は ${typed}` })
      if (r.status !== 422) accepted.push(`"${typed}" → ${r.status}`)
    }
    assert.deepEqual(accepted, [], 'mistake reports holding a valid number were stored')
  } finally {
    await w.stop()
  }
})

// ---- 7. key rotation -----------------------------------------------------------------------------

test('rotate-keys: every data key rewrapped under a new generation, the old key files gone, numbers still reveal', async () => {
  const w = await world(['handler', 'manager', 'employee', 'ceo'])
  const { handler } = w.who
  const [n1, n2] = [valid('90909090901'), valid('90909090902')]
  try {
    await scope(w, 'handler', ['withholding'])
    const a = await employee(w, 'employee', n1)
    const b = await employee(w, 'ceo', n2, { use_ended_on: '2026-03-31' })
    assert.equal(b.retention_end, '2033-12-31')
    assert.deepEqual(keyFiles(w.dir), ['2033.1.key', 'open.1.key'])
    const epochs = () => {
      const r = run(['mynumber', 'epochs'], { dataDir: w.dir })
      assert.equal(r.code, 0, r.stderr)
      return Object.fromEntries(JSON.parse(r.stdout).map((e) => [e.epoch, e]))
    }
    let e = epochs()
    assert.deepEqual(e.open.key_files, ['open.1.key'])
    assert.equal(e.open.numbers, 1)
    assert.deepEqual(e['2033'].key_files, ['2033.1.key'])
    const old = Object.fromEntries(keyFiles(w.dir).map((f) => [f, readFileSync(join(w.dir, 'keys/vault', f))]))
    const wrappedBefore = sql(w.dir, 'SELECT group_concat(wrapped_key) FROM mn_number;')
    const cipherBefore = sql(w.dir, 'SELECT group_concat(ciphertext) FROM mn_number;')

    let r = run(['mynumber', 'rotate-keys'], { dataDir: w.dir })
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /2/)
    assertNoNumber(r.stdout + r.stderr, [n1, n2], 'the CLI')
    assert.deepEqual(keyFiles(w.dir), ['2033.2.key', 'open.2.key'], 'the old generation is gone')
    for (const f of keyFiles(w.dir)) {
      const k = readFileSync(join(w.dir, 'keys/vault', f))
      assert.ok(Object.values(old).every((o) => !o.equals(k)), 'a new key, not a renamed one')
      assert.equal(statSync(join(w.dir, 'keys/vault', f)).mode & 0o077, 0, `${f} is private`)
    }
    e = epochs()
    assert.deepEqual(e.open.key_files, ['open.2.key'])
    assert.deepEqual(e['2033'].key_files, ['2033.2.key'])
    assert.notEqual(sql(w.dir, 'SELECT group_concat(wrapped_key) FROM mn_number;'), wrappedBefore, 'the data keys were rewrapped')
    assert.equal(sql(w.dir, 'SELECT group_concat(ciphertext) FROM mn_number;'), cipherBefore, 'the numbers themselves were not re-encrypted')
    assert.equal(sql(w.dir, "SELECT group_concat(DISTINCT key_gen) FROM mn_number;"), '2')
    assert.equal(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'mynumber.rotate_keys';"), '1')
    // the running server reveals with the new keys
    assert.equal((await reveal(handler.c, a.id, 'withholding')).body?.number, n1)
    assert.equal((await reveal(handler.c, b.id, 'withholding')).body?.number, n2)
    // a number added after the rotation uses the new generation; a second rotation makes a third
    const c = await employee(w, 'manager', valid('90909090903'))
    assert.deepEqual(keyFiles(w.dir), ['2033.2.key', 'open.2.key'])
    r = run(['mynumber', 'rotate-keys'], { dataDir: w.dir })
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(keyFiles(w.dir), ['2033.3.key', 'open.3.key'])
    for (const [s, n] of [[a, n1], [b, n2], [c, valid('90909090903')]])
      assert.equal((await reveal(handler.c, s.id, 'withholding')).body?.number, n)
    // after a restart too
    assert.equal(await w.server.stop(), 0, w.server.stderr)
    w.server = await startServer(w.dir, { env: w.clock.env })
    await w.relogin('handler')
    assert.equal((await reveal(w.who.handler.c, a.id, 'withholding')).body?.number, n1)
  } finally {
    await w.stop()
  }
})

// ---- 8. bulk import ------------------------------------------------------------------------------

test('mamori mynumber import: every row or none, naming the bad row', () => {
  const { dir } = setup()
  const tmp = dirname(dir)
  for (const [no, name] of [['E9001', '輸入 一郎'], ['E9002', '輸入 二郎'], ['E9003', '輸入 三郎']]) {
    const r = run(['people', 'add', '--data', dir, '--employee-no', no, '--name', name, '--kana', 'ユニュウ', '--type', 'regular'])
    assert.equal(r.code, 0, r.stderr)
  }
  const HEADER = 'kind,person,parent,name,name_kana,relation,purposes,number,number_document,identity_document,use_ended_on'
  const [n1, n2, n3, n4, n5] = ['44444444401', '44444444402', '44444444403', '44444444404', '44444444405'].map(valid)
  const write = (name, rows) => { const p = join(tmp, name); writeFileSync(p, [HEADER, ...rows].join('\r\n') + '\r\n'); return p }
  const list = () => {
    const r = run(['mynumber', 'list'], { dataDir: dir })
    assert.equal(r.code, 0, r.stderr)
    return JSON.parse(r.stdout)
  }
  const imp = (file) => run(['mynumber', 'import', file], { dataDir: dir })

  // a good file: every row
  let r = imp(write('good.csv', [
    `employee,E9001,,輸入 一郎,ユニュウ イチロウ,,withholding;social_insurance,${n1},個人番号カード,個人番号カード,`,
    `employee,E9002,,輸入 二郎,ユニュウ ジロウ,,withholding,${fullWidth(grouped(n2, '-'))},通知カード,運転免許証,2026-03-31`,
    `partner,,,国税庁,コクゼイチョウ,,partner_payment,${CORPORATE_NTA},,,`,
  ]))
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /imported 3/)
  assertNoNumber(r.stdout + r.stderr, [n1, n2], 'the import output')
  let l = list()
  assert.equal(l.total, 3)
  const byName = Object.fromEntries(l.items.map((s) => [s.name, s]))
  assert.deepEqual(byName['輸入 一郎'].purposes, ['social_insurance', 'withholding'])
  assert.equal(byName['輸入 一郎'].masked, '********' + n1.slice(-4))
  assert.equal(byName['輸入 二郎'].masked, '********' + n2.slice(-4))
  assert.equal(byName['輸入 二郎'].retention_end, '2033-12-31')
  assert.equal(byName['国税庁'].number_kind, 'corporate')
  const parent = byName['輸入 一郎'].id

  // one bad row in the middle: nothing is imported, and the row is named
  const bad = (rows, row, field) => {
    const before = list().total
    const res = imp(write(`bad-${row}-${field}.csv`, rows))
    assert.equal(res.code, 2, `${field} in row ${row}: ${res.stdout}${res.stderr}`)
    assert.match(res.stderr, new RegExp(`row ${row}\\b[^\\n]*${field}`), res.stderr)
    assert.ok(!/imported \d/.test(res.stdout), res.stdout)
    assert.equal(list().total, before, 'nothing was imported')
    assertNoNumber(res.stdout + res.stderr, [n1, n2, n3, n4, n5], 'the import errors')
  }
  const good3 = `employee,E9003,,輸入 三郎,ユニュウ サブロウ,,withholding,${n3},個人番号カード,個人番号カード,`
  const dep = `dependant,,${parent},輸入 花子,ユニュウ ハナコ,配偶者,dependant_declaration,${n4},個人番号カード,個人番号カード,`
  bad([good3, `dependant,,${parent},輸入 花子,ユニュウ ハナコ,配偶者,dependant_declaration,${wrongLast(n4)},個人番号カード,個人番号カード,`, `partner,,,講師,コウシ,,partner_payment,${n5},個人番号カード,個人番号カード,`], 3, 'number')
  bad([good3, dep, `partner,,,講師,コウシ,,withholding,${n5},個人番号カード,個人番号カード,`], 4, 'purposes')
  bad([good3, dep, `employee,E9003,,重複,チョウフク,,withholding,${n3},個人番号カード,個人番号カード,`], 4, 'number') // the same number twice in one file
  bad([good3, `employee,E9003,,既存,キゾン,,withholding,${grouped(n1, ' ')},個人番号カード,個人番号カード,`], 3, 'number') // a number already held
  bad([good3, `employee,E9999,,不明,フメイ,,withholding,${n5},個人番号カード,個人番号カード,`], 3, 'person')
  bad([good3, `employee,E9003,,本人確認なし,ホンニン,,withholding,${n5},,,`], 3, 'identity_check')
  assert.equal(list().total, 3)
  assert.ok(!list().items.some((s) => s.name === '輸入 三郎'), 'the good rows of a bad file were not kept')
  // the same rows, fixed: all of them
  r = imp(write('fixed.csv', [good3, dep, `partner,,,講師,コウシ,,partner_payment,${n5},個人番号カード,個人番号カード,`]))
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /imported 3/)
  l = list()
  assert.equal(l.total, 6)
  const hanako = l.items.find((s) => s.name === '輸入 花子')
  assert.equal(hanako.kind, 'dependant')
  assert.equal(hanako.parent_id, parent)
  // the numbers are held under the blind index: importing any of them again is a duplicate
  r = imp(write('again.csv', [`employee,E9003,,再,サイ,,withholding,${n3},個人番号カード,個人番号カード,`]))
  assert.equal(r.code, 2)
  assert.match(r.stderr, /row 2\b.*number/)
  // nothing of the numbers in the data directory
  for (const f of files(dir)) assertNoNumber(readFileSync(f).toString('latin1') + readFileSync(f).toString('utf8'), [n1, n2, n3, n4, n5], f)
})

test('the masked list: a search is literal (q=_ or q=% is not a wildcard), filters combine, and every list is audited', async () => {
  const w = await world(['handler', 'auditor'])
  const { handler, auditor } = w.who
  try {
    const names = ['取引先_一', '取引先%二', '取引先\\三', '取引先 四', '普通 五']
    const ids = {}
    for (const name of names)
      ids[name] = (await subject(handler.c, { kind: 'partner', name, name_kana: 'トリヒキサキ', purposes: ['partner_payment'] })).id
    const holder = await subject(handler.c, { kind: 'shareholder', name: '株主_六', name_kana: 'カブヌシ', purposes: ['shareholder_dividend'] })
    const list = async (query) => {
      const r = await auditor.c.get(`/api/mynumber/subjects?${query}`)
      assert.equal(r.status, 200, `${query}: ${r.text}`)
      return r.body
    }
    const found = async (query) => (await list(query)).items.map((s) => s.name).sort()
    const listedBefore = Number(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'mynumber.list';"))

    assert.equal((await list('')).total, 6)
    // LIKE's wildcards and its escape character are searched for as themselves
    assert.deepEqual(await found(`q=${encodeURIComponent('_')}`), ['取引先_一', '株主_六'])
    assert.deepEqual(await found(`q=${encodeURIComponent('%')}`), ['取引先%二'])
    assert.deepEqual(await found(`q=${encodeURIComponent('\\')}`), ['取引先\\三'])
    assert.deepEqual(await found(`q=${encodeURIComponent('先_')}`), ['取引先_一'])
    assert.deepEqual(await found(`q=${encodeURIComponent('取引先%')}`), ['取引先%二'])
    assert.deepEqual(await found(`q=${encodeURIComponent('%%')}`), [])
    assert.equal((await list(`q=${encodeURIComponent('_')}`)).total, 2)
    // an ordinary search, the reading (name_kana), and text that looks like SQL
    assert.deepEqual(await found(`q=${encodeURIComponent('取引先')}`), ['取引先 四', '取引先%二', '取引先\\三', '取引先_一'])
    assert.deepEqual(await found(`q=${encodeURIComponent('カブヌシ')}`), ['株主_六'])
    assert.deepEqual(await found(`q=${encodeURIComponent("' OR 1=1 --")}`), [])
    // the filters, alone and together, and pages
    assert.deepEqual(await found('kind=shareholder'), ['株主_六'])
    assert.deepEqual(await found(`kind=partner&q=${encodeURIComponent('_')}`), ['取引先_一'])
    assert.deepEqual(await found(`kind=shareholder&state=active&q=${encodeURIComponent('株主')}`), ['株主_六'])
    assert.equal((await list('state=active')).total, 6)
    assert.equal((await list('state=deleted')).total, 0)
    assert.equal((await list('kind=partner&state=deleted')).total, 0)
    let l = await list('kind=partner&per_page=2&page=2')
    assert.equal(l.total, 5)
    assert.deepEqual(l.items.map((s) => s.id), [ids['取引先\\三'], ids['取引先%二']])
    l = await list('per_page=2&page=1')
    assert.deepEqual(l.items.map((s) => s.id), [holder.id, ids['普通 五']])
    // every list above wrote its audit event
    assert.equal(Number(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'mynumber.list';")) - listedBefore, 19)
    assert.equal((await auditor.c.get('/api/mynumber/subjects?kind=robot')).status, 422)
    assert.equal((await auditor.c.get(`/api/mynumber/subjects?q=${'あ'.repeat(40)}`)).status, 422)
  } finally {
    await w.stop()
  }
})

test('the masked list\'s name search reads the text index and finds exactly what LIKE finds, after corrections too', async () => {
  const w = await world(['handler', 'auditor'])
  const { handler, auditor } = w.who
  try {
    const names = [['Yamada Taro', 'ヤマダ'], ['YAMADA 商事', 'ヤマダショウジ'], ['山田 花子', 'ヤマダ'], ['ÄRZTE 組合', 'イシクミアイ'], ['Ｆｕｌｌ 幅', 'ゼンカク'], ['O\'Brien "Q"', 'オブライエン']]
    const ids = []
    for (const [name, name_kana] of names)
      ids.push((await subject(handler.c, { kind: 'partner', name, name_kana, purposes: ['partner_payment'] })).id)
    // a correction moves the name in the index too
    let r = await handler.c.patch(`/api/mynumber/subjects/${ids[2]}`, { name: '山川 花子' })
    assert.equal(r.status, 200, r.text)
    assert.equal(sql(w.dir, "SELECT count(*) FROM store_text_index WHERE tbl = 'mn_subject';"), '1', 'the index exists')
    const like = (q) => {
      const esc = q.replace(/[\\%_]/g, (c) => '\\' + c).replace(/'/g, "''")
      const rows = sql(w.dir, `SELECT name FROM mn_subject WHERE name LIKE '%${esc}%' ESCAPE '\\' OR name_kana LIKE '%${esc}%' ESCAPE '\\' ORDER BY name;`)
      return rows ? rows.split('\n').sort() : []
    }
    for (const q of ['yamada', 'YAMADA', 'Yam', 'ya', 'y', '山', '山田', '山川', '花子', 'ヤマダ', 'äRZ', 'ÄRZ', 'ärzte', 'Ｆｕ', 'ｆｕｌｌ', 'full', "O'B", '"Q"', 'Taro', 'zz', 'da S']) {
      const got = (await auditor.c.get(`/api/mynumber/subjects?per_page=50&q=${encodeURIComponent(q)}`)).body.items.map((s) => s.name).sort()
      assert.deepEqual(got, like(q), `q=${q}`)
    }
  } finally {
    await w.stop()
  }
})
