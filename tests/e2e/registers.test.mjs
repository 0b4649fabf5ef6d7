// The ledgers (台帳) in the browser, against the real `mamori serve`: the list of ledgers, the
// devices ledger's list, a device added through the form generated from the schema (first with one
// bad field: the server's error sits next to that field), the new row in the list, an edit of one
// field (only that field is sent; the history shows 旧 → 新), sort, filter, search, and the CSV export
// (BOM, Japanese header, the search applied). The ledger's own labels and fields are read from its
// schema (GET /api/registers/devices/schema), so the test follows the definition file; the browser
// signs in as someone with one of the ledger's `write` roles (a new sysadmin account when the officer
// has none: devices.json lets only sysadmin write). Japanese
// throughout, English column headers on request; no console error, no CSP violation, no unexpected
// HTTP error.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { Client, firstLogin, STRONG } from '../api/client.mjs'
import { launchBrowser } from '../lib/mamori.mjs'
import { openPage, shot, signIn, startWithClock, totp } from './browser.mjs'

let browser
const servers = []

before(async () => {
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  for (const s of servers) {
    const code = await s.stop()
    assert.equal(code, 0, `mamori serve exited with ${code} after SIGTERM:\n${s.stderr}`)
  }
})

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A form field's accessible name: its label, then perhaps the 必須 mark (or 自動計算). */
const named = (label) => new RegExp(`^${esc(label)}\\s*(必須|自動計算)?$`)

/**
 * Someone who may write the ledger: the officer when one of its roles is among the ledger's `write`
 * roles, else a new account with the first of them (issued by the officer, through the API, and
 * brought past its first login). Also returns the ledger's schema as the officer reads it.
 */
async function writerOf(env, ledger) {
  const { server, clock, officer } = env
  const c = new Client(server.url)
  clock.advance(30) // a fresh TOTP step
  let r = await c.login(officer.login, officer.password, totp(officer.secret, clock))
  assert.equal(r.status, 201, r.text)
  r = await c.get(`/api/registers/${ledger}/schema`)
  assert.equal(r.status, 200, `the officer reads ${ledger}: ${r.text}`)
  const write = r.body.permissions?.write ?? []
  const roles = (await c.get('/api/session')).body.account.roles
  if (r.body.can_write || roles.some((x) => write.includes(x))) {
    await c.del('/api/session')
    return officer
  }
  assert.ok(write.length > 0, `${ledger} names the roles that write it`)
  r = await c.post('/api/people', { employee_no: 'E900', name: '鈴木 一郎', name_kana: 'スズキ イチロウ', employment_type: 'regular' })
  assert.equal(r.status, 201, r.text)
  r = await c.post('/api/accounts', { person_id: r.body.id, login: 'writer', roles: [write[0]] })
  assert.equal(r.status, 201, r.text)
  const w = await firstLogin(new Client(server.url), 'writer', r.body.password, clock, STRONG)
  await c.del('/api/session')
  return { login: 'writer', password: w.password, secret: w.secret }
}

/** A call through the page's own session (cookie, and the CSRF token the tab keeps). */
async function call(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers = { Accept: 'application/json' }
      if (method !== 'GET') headers['X-CSRF-Token'] = sessionStorage.getItem('mamori.csrf') ?? ''
      if (body !== undefined) headers['Content-Type'] = 'application/json'
      const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
      const text = await r.text()
      let json = null
      try {
        json = text ? JSON.parse(text) : null
      } catch {
        json = null
      }
      return { status: r.status, body: json, text }
    },
    { method, path, body },
  )
}

/** A valid value of a field, as JSON (for the API) — `n` makes two records differ. */
function sample(f, n, people) {
  switch (f.type) {
    case 'text':
      if (f.format === 'mac') return `00:11:22:33:44:${String(n).padStart(2, '0')}`
      if (f.format === 'ipv4') return `192.0.2.${n}`
      if (f.format === 'email') return `it${n}@example.jp`
      if (f.format === 'url') return `https://example.jp/${n}`
      return `テスト${n}`.slice(0, f.max ?? 200)
    case 'textarea':
      return `E2E テスト ${n}`
    case 'integer':
      if (f.choices?.length) return f.choices[0].value // an integer with named values (a select)
      return Math.min(f.max ?? 10, Math.max(f.min ?? 0, 10))
    case 'boolean':
      return true
    case 'date':
      return '2027-04-01'
    case 'datetime':
      return '2027-04-01T00:00:00Z'
    case 'enum':
      return f.choices[Math.min(n - 1, f.choices.length - 1)].value
    case 'person':
      return people[0].id
    default:
      throw new Error(`no sample for a required ${f.type} field ${f.name}`)
  }
}

/** Fills one control of the generated form with a JSON value. */
async function fill(page, f, value) {
  const control = page.getByLabel(named(f.label.ja))
  switch (f.type) {
    case 'boolean':
      return value ? control.check() : control.uncheck()
    case 'enum':
    case 'person':
    case 'ref':
      return control.selectOption(String(value))
    case 'integer':
      return f.choices?.length ? control.selectOption(String(value)) : control.fill(String(value))
    case 'datetime':
      return control.fill('2027-04-01T09:00') // Japan time; sent as 2027-04-01T00:00:00Z
    default:
      return control.fill(String(value))
  }
}

test('ledgers: the devices ledger — add (with an error next to the field), edit with history, sort, filter, search, CSV export', async () => {
  const env = await startWithClock({ ready: true })
  servers.push(env.server)
  const { server, clock } = env
  const writer = await writerOf(env, 'devices')
  const { page, context, check, allowHttp } = await openPage(browser)
  await page.goto(`${server.url}/#/ledgers`)
  await signIn(page, writer, clock, allowHttp)
  await page.getByRole('heading', { level: 1, name: '台帳' }).waitFor()

  // What the test needs to know of the ledger comes from its schema.
  const schemaRes = await call(page, 'GET', '/api/registers/devices/schema')
  assert.equal(schemaRes.status, 200, schemaRes.text)
  const schema = schemaRes.body
  assert.equal(schema.can_write, true, `${writer.login} writes the devices ledger`)
  const label = schema.label.ja
  const byName = Object.fromEntries(schema.fields.map((f) => [f.name, f]))
  const title = byName[schema.title]
  assert.equal(title?.type, 'text', 'the title of devices is a text field')
  const inputs = schema.fields.filter((f) => !f.computed)
  // the field to get wrong first: an integer with a maximum (画面ロック（分） in the contract's example)
  const bad = inputs.find((f) => f.type === 'integer' && typeof f.max === 'number' && !f.choices?.length)
  assert.ok(bad, 'devices has an integer field with a maximum')
  const lo = bad.min ?? 0
  const clamp = (n) => Math.min(bad.max, Math.max(lo, n))
  const good = clamp(10)
  const edited = clamp(5) !== good ? clamp(5) : good === bad.max ? lo : bad.max
  const kind = inputs.find((f) => f.type === 'enum' && f.choices.length >= 2 && f.name !== bad.name)
  const people = (await call(page, 'GET', '/api/people')).body.items
  const required = inputs.filter((f) => f.required && f.name !== schema.title && f.name !== bad.name)

  // One device exists already (through the API, as the same person).
  const other = { [schema.title]: 'PC-E2E-002' }
  for (const f of required) other[f.name] = sample(f, 2, people)
  if (kind) other[kind.name] = kind.choices[1].value
  const created = await call(page, 'POST', '/api/registers/devices/records', other)
  assert.equal(created.status, 201, created.text)

  // 台帳: each ledger this person may read, its regulation and its count; the nav item is current.
  await page.reload()
  await page.getByRole('heading', { level: 1, name: '台帳' }).waitFor()
  const nav = page.getByRole('navigation', { name: 'メインメニュー' })
  assert.equal(await nav.getByRole('link', { name: '台帳' }).getAttribute('aria-current'), 'page')
  const registers = (await call(page, 'GET', '/api/registers')).body.items
  const rows = page.locator('.ledgers-table tbody tr')
  await rows.first().waitFor()
  assert.equal(await rows.count(), registers.length)
  const devicesRow = page.locator('.ledgers-table tbody tr[data-ledger="devices"]')
  assert.match(await devicesRow.innerText(), new RegExp(`^${esc(label)}\\s+${esc(schema.source)}\\s+1件$`))
  await page.mouse.click(1, 799)
  await page.screenshot({ path: shot('registers-ledgers'), fullPage: true })
  await devicesRow.getByRole('link', { name: label }).click()

  // The list: the schema's columns, in order; the default sort marked on its column.
  await page.getByRole('heading', { level: 1, name: label }).waitFor()
  assert.equal(await nav.getByRole('link', { name: '台帳' }).getAttribute('aria-current'), 'page')
  const table = page.locator('.ledger-table')
  await table.locator('tbody tr[data-record]').first().waitFor()
  assert.deepEqual(await table.locator('thead .th-label').allInnerTexts(), schema.list.map((n) => byName[n].label.ja))
  const sortField = (schema.sort ?? '').replace(/^-/, '')
  if (schema.list.includes(sortField))
    assert.equal(await table.locator(`th[data-field="${sortField}"]`).getAttribute('aria-sort'), schema.sort.startsWith('-') ? 'descending' : 'ascending')
  assert.match(await page.locator('.ledger-count').innerText(), /^1件中 1〜1件$/)

  // 追加: the form generated from the schema, every field labelled.
  await page.getByRole('link', { name: '追加', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: `${label}：追加` }).waitFor()
  for (const f of schema.fields) assert.equal(await page.getByLabel(named(f.label.ja)).count(), 1, `a labelled control for ${f.name}`)
  for (const f of schema.fields.filter((x) => x.computed)) assert.ok(await page.getByLabel(named(f.label.ja)).isEditable() === false, `${f.name} is read-only`)
  const titleInput = page.getByLabel(named(title.label.ja))
  assert.equal(await titleInput.getAttribute('maxlength'), String(title.max ?? 200))
  const badInput = page.getByLabel(named(bad.label.ja))
  assert.equal(await badInput.getAttribute('type'), 'number')
  assert.equal(await badInput.getAttribute('max'), String(bad.max))
  await titleInput.fill('PC-E2E-001')
  for (const f of required) await fill(page, f, sample(f, 1, people))
  if (kind) await fill(page, kind, kind.choices[0].value)
  await badInput.fill(String(bad.max + 1)) // one bad field

  allowHttp(422, 'POST', '/api/registers/devices/records')
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/registers/devices/records'),
    page.getByRole('button', { name: '保存', exact: true }).click(),
  ])
  assert.equal(refused.status(), 422)
  const problem = await refused.json()
  assert.deepEqual([...new Set(problem.errors.map((e) => e.field))], [bad.name], 'only the bad field is refused')
  const message = problem.errors[0].message_ja
  assert.ok(message, 'the error has a Japanese message')

  // The error sits next to the field, which is marked invalid, described by it, and focused.
  await page.locator(`[data-field="${bad.name}"]`).getByText(message).waitFor()
  assert.equal(await badInput.getAttribute('aria-invalid'), 'true')
  const described = await badInput.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  )
  assert.ok(described.includes(message), `described by its error: ${described}`)
  assert.ok(await badInput.evaluate((el) => el === document.activeElement), 'focus on the invalid field')
  assert.equal(await titleInput.getAttribute('aria-invalid'), null)
  await page.screenshot({ path: shot('registers-form-error'), fullPage: true })

  // Fixed: saved; back on the list with the new row.
  await badInput.fill(String(good))
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: label }).waitFor()
  await page.getByText('登録しました。').waitFor()
  const row = table.locator('tbody tr', { has: page.getByRole('link', { name: 'PC-E2E-001', exact: true }) })
  await row.waitFor()
  const cells = await row.locator('td').allInnerTexts()
  schema.list.forEach((n, i) => {
    const f = byName[n]
    if (n === schema.title) assert.equal(cells[i], 'PC-E2E-001')
    else if (kind && n === kind.name) assert.equal(cells[i], kind.choices[0].ja, 'an enum shows its Japanese label')
    else if (n === bad.name) assert.equal(cells[i], String(good))
    else if (f.type === 'person' && f.required) assert.match(cells[i], new RegExp(esc(people[0].name)), 'a person shows its name')
    else if (f.type === 'boolean') assert.match(cells[i], /^(はい|いいえ|—)$/)
    else if (f.type === 'date' && f.required) assert.equal(cells[i], '2027/04/01')
  })
  assert.match(await page.locator('.ledger-count').innerText(), /^2件中 1〜2件$/)
  await page.mouse.click(1, 799)
  await page.screenshot({ path: shot('registers-list'), fullPage: true })

  // Sort on the title column: the header says so (aria-sort) and the order follows.
  const titleTh = table.locator(`th[data-field="${schema.title}"]`)
  if (schema.list.includes(schema.title)) {
    const linkTexts = () => table.locator(`tbody tr td:nth-child(${schema.list.indexOf(schema.title) + 1})`).allInnerTexts()
    if ((await titleTh.getAttribute('aria-sort')) !== 'ascending') {
      await titleTh.getByRole('button').click()
      await page.waitForFunction((f) => document.querySelector(`.ledger-table th[data-field="${f}"]`)?.getAttribute('aria-sort') === 'ascending', schema.title)
    }
    await page.waitForFunction(() => !document.querySelector('.ledger-table[aria-busy="true"]'))
    assert.deepEqual(await linkTexts(), ['PC-E2E-001', 'PC-E2E-002'])
    await titleTh.getByRole('button').click()
    await page.waitForFunction((f) => document.querySelector(`.ledger-table th[data-field="${f}"]`)?.getAttribute('aria-sort') === 'descending', schema.title)
    await page.waitForFunction(() => !document.querySelector('.ledger-table[aria-busy="true"]'))
    await page.waitForFunction(() => document.querySelector('.ledger-table tbody tr[data-record] a')?.textContent === 'PC-E2E-002')
    assert.deepEqual(await linkTexts(), ['PC-E2E-002', 'PC-E2E-001'])
    assert.match(page.url(), new RegExp(`sort=-${schema.title}`))
    for (const n of schema.list.filter((n) => n !== schema.title)) assert.equal(await table.locator(`th[data-field="${n}"]`).getAttribute('aria-sort'), 'none')
  }

  // A filter of an enum field: its choices in Japanese; the list narrows.
  if (kind && (schema.filters ?? []).includes(kind.name)) {
    const filter = page.getByRole('combobox', { name: kind.label.ja })
    assert.deepEqual((await filter.locator('option').allInnerTexts()).slice(1), kind.choices.map((c) => c.ja))
    await filter.selectOption({ label: kind.choices[0].ja })
    await page.waitForFunction(() => document.querySelector('.ledger-count')?.textContent === '1件中 1〜1件')
    assert.deepEqual(await table.locator('tbody tr[data-record] a').allInnerTexts(), ['PC-E2E-001'])
    await page.getByRole('link', { name: '条件をクリア' }).click()
    await page.waitForFunction(() => document.querySelector('.ledger-count')?.textContent === '2件中 1〜2件')
  }

  // Open the device; edit one field: only that field is sent, and the history shows 旧 → 新.
  await table.getByRole('link', { name: 'PC-E2E-001', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: `${label}：PC-E2E-001` }).waitFor()
  assert.equal(await page.getByLabel(named(title.label.ja)).inputValue(), 'PC-E2E-001')
  assert.equal(await page.getByLabel(named(bad.label.ja)).inputValue(), String(good))
  const history = page.locator('.history-table')
  await history.locator('tbody tr').first().waitFor()
  assert.equal(await history.locator('tbody tr').count(), 1)
  assert.deepEqual(await history.locator('thead th').allInnerTexts(), ['日時', '実行者', '操作', '変更内容'])
  await page.getByLabel(named(bad.label.ja)).fill(String(edited))
  const [patch] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'PATCH'),
    page.getByRole('button', { name: '保存', exact: true }).click(),
  ])
  assert.deepEqual(patch.postDataJSON(), { [bad.name]: edited }, 'PATCH carries the changed field only')
  assert.equal(patch.headers()['x-csrf-token'] !== undefined && patch.headers()['x-csrf-token'] !== '', true)
  await page.getByText('保存しました。').waitFor()
  await history.locator('tbody tr[data-action="update"]').waitFor()
  const [createRow, updateRow] = await history.locator('tbody tr').all()
  const createCells = await createRow.locator('td').allInnerTexts()
  assert.match(createCells[0], /^2027\/04\/01 \d\d:\d\d$/, 'the time in Japan time')
  assert.notEqual(createCells[1].trim(), '', 'who did it')
  assert.equal(createCells[2], '作成')
  const updateCells = await updateRow.locator('td').allInnerTexts()
  assert.equal(updateCells[2], '更新')
  // the change of the field, by its label (a hook may add changes of computed fields)
  assert.equal((await updateRow.locator(`li[data-field="${bad.name}"]`).innerText()).trim(), `${bad.label.ja}：${good} → ${edited}`)
  await page.mouse.click(1, 799)
  await page.screenshot({ path: shot('registers-record'), fullPage: true })

  // Search: the list narrows to the device; the search is kept in the address (and the export).
  await page.getByRole('link', { name: `${label}の一覧へ戻る` }).click()
  await page.getByRole('heading', { level: 1, name: label }).waitFor()
  await table.locator('tbody tr[data-record]').first().waitFor()
  assert.ok((schema.search ?? []).includes(schema.title), 'the title field is searched')
  const q = page.getByRole('searchbox', { name: '検索' })
  await q.fill('E2E-001')
  await q.press('Enter')
  await page.waitForFunction(() => document.querySelector('.ledger-count')?.textContent === '1件中 1〜1件')
  assert.match(page.url(), /[?&]q=E2E-001/)
  assert.deepEqual(await table.locator('tbody tr[data-record] a').allInnerTexts(), ['PC-E2E-001'])
  const csvLink = page.getByRole('link', { name: 'CSV出力', exact: true })
  const csvHref = new URL(await csvLink.getAttribute('href'), server.url)
  assert.equal(csvHref.pathname, '/api/registers/devices/export')
  assert.equal(csvHref.searchParams.get('format'), 'csv')
  assert.equal(csvHref.searchParams.get('q'), 'E2E-001')
  const sjis = new URL(await page.getByRole('link', { name: 'CSV出力（Shift_JIS）' }).getAttribute('href'), server.url)
  assert.equal(sjis.searchParams.get('encoding'), 'cp932')
  const xlsx = new URL(await page.getByRole('link', { name: 'Excel出力' }).getAttribute('href'), server.url)
  assert.equal(xlsx.searchParams.get('format'), 'xlsx')
  assert.equal(xlsx.searchParams.get('q'), 'E2E-001')

  // The CSV download: UTF-8 with a BOM, the Japanese labels as the header, the search applied.
  const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()])
  const bytes = readFileSync(await download.path())
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM first (Excel reads it as UTF-8)')
  const text = bytes.subarray(3).toString('utf8')
  const lines = text.split(/\r?\n/).filter((l) => l !== '')
  assert.ok(lines[0].includes(title.label.ja), `the header holds the Japanese labels: ${lines[0]}`)
  assert.ok(lines[0].includes(bad.label.ja), `the header holds the Japanese labels: ${lines[0]}`)
  assert.equal(lines.length, 2, `the header and the one device found:\n${text}`)
  assert.ok(lines[1].includes('PC-E2E-001'))
  assert.ok(!text.includes('PC-E2E-002'), 'the search applies to the export')

  // A search that finds nothing says so.
  await q.fill('存在しない')
  await q.press('Enter')
  await table.getByText('該当するデータはありません。').waitFor()
  assert.match(await page.locator('.ledger-count').innerText(), /^0件$/)

  // English on request: the column headers are the schema's English labels.
  await page.getByRole('radio', { name: 'English' }).click()
  await page.getByRole('heading', { level: 1, name: schema.label.en }).waitFor()
  assert.deepEqual(await table.locator('thead .th-label').allInnerTexts(), schema.list.map((n) => byName[n].label.en))
  await page.getByRole('radio', { name: '日本語' }).click()
  await page.getByRole('heading', { level: 1, name: label }).waitFor()
  check()
  await context.close()
})
