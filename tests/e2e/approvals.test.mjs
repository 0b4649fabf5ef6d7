// 申請・承認 in the browser, against the real `mamori serve` with a movable clock (MAMORI_NOW=@file).
// The scenario: an employee enters a USB take-out of 社外秘 (internal) material on the
// take-outs ledger's form — the server makes its approval request when the record is saved (the
// take-out hook: type takeout of the item's class, subject register:takeouts:ID, due on the planned
// day; the browser asks for nothing); the department head finds it under 承認待ち with its type,
// requester, dates and due date, opens it (steps, snapshot) and approves it with a comment; the employee sees it approved under 自分の申請 and
// records the take-out time on the record; with the clock past the return date the take-out is
// overdue on the officer's dashboard. Japanese throughout; no console error, no CSP violation,
// no unexpected HTTP error.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launchBrowser } from '../lib/mamori.mjs'
import { world as shared } from '../api/world.mjs'
import { openPage, shot, signIn } from './browser.mjs'

let browser
const worlds = []

before(async () => {
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  for (const w of worlds) await w.stop()
})

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A form field's accessible name: its label, then perhaps the 必須 mark (or 自動計算). */
const named = (label) => new RegExp(`^${esc(label)}\\s*(必須|自動計算)?$`)

/** A data directory made at the clock's start; the officer (TOTP), an employee and a department head. */
async function world() {
  const w = await shared({ employee: ['employee'], dept_head: ['dept_head'] })
  worlds.push(w)
  return w
}

test('a USB take-out: requested on the ledger form, approved from 承認待ち, taken out, overdue on the dashboard', async () => {
  const { clock, server, who } = await world()
  const { employee, dept_head, officer } = who

  // ---- the employee enters the take-out; saving it requests the approval ----
  const e = await openPage(browser)
  await e.page.goto(`${server.url}/`)
  await signIn(e.page, employee, clock, e.allowHttp)
  await e.page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor()
  // the form lists the media it may refer to; an employee may not read that ledger (each of the
  // take-out's three form views asks, and is refused: the field stays a plain choice)
  for (let i = 0; i < 3; i++) e.allowHttp(403, 'GET', '/api/registers/media/schema')
  await e.page.goto(`${server.url}/#/ledgers/takeouts/new`)
  const form = e.page.getByRole('form')
  await form.getByLabel(named('持出番号')).waitFor()
  await form.getByLabel(named('持出番号')).fill('T-USB-001')
  await form.getByLabel(named('持出物')).fill('USBメモリ（見積資料）')
  await form.getByLabel(named('区分')).selectOption('internal')
  await form.getByLabel(named('持出者')).fill(String(employee.person))
  await form.getByLabel(named('持出先')).fill('A社')
  await form.getByLabel(named('目的')).fill('見積の打合せ')
  await form.getByLabel(named('持出予定日')).fill('2027-04-02')
  await form.getByLabel(named('返却予定日')).fill('2027-04-11')
  await form.getByLabel(named('暗号化・パスワード設定')).check()
  await form.getByLabel(named('保護措置')).fill('暗号化USB（パスワード付き）')
  await form.getByRole('button', { name: '保存' }).click()
  await e.page.waitForURL(/#\/ledgers\/takeouts\/\d+$/)
  const tk = Number(e.page.url().match(/\/(\d+)$/)[1])
  const em = e.page.getByRole('main')
  await em.getByText('記録を登録し、承認を申請しました。').waitFor()
  // the record links to its request, pending
  const link = em.locator('.record-approval').getByRole('link')
  await link.waitFor()
  assert.match(await link.innerText(), /^申請 #\d+（承認待ち）$/)
  const reqHref = await link.getAttribute('href')
  const req = Number(reqHref.match(/^#\/approvals\/(\d+)$/)[1])

  // the employee may not approve it: 自分の申請 lists it, pending; nothing awaits them
  await e.page.getByRole('navigation').getByRole('link', { name: '申請・承認' }).click()
  await e.page.getByRole('heading', { level: 1, name: '申請・承認' }).waitFor()
  await em.getByText('承認待ちの申請はありません。').waitFor()
  assert.equal(await em.getByRole('tab', { name: 'すべて' }).count(), 0)
  await em.getByRole('tab', { name: '自分の申請' }).click()
  const mineRow = em.locator(`.approvals-table[data-box="mine"] tr[data-id="${req}"]`)
  await mineRow.waitFor()
  assert.equal(await mineRow.getAttribute('data-state'), 'pending')
  assert.match(await mineRow.innerText(), /持出し/)
  assert.match(await mineRow.innerText(), /持出 T-USB-001（USBメモリ（見積資料））/)
  assert.ok(await mineRow.getByRole('button', { name: /取り下げる/ }).isVisible())

  // ---- the department head: 承認待ち, the request, 承認 ----
  clock.advance(60)
  const d = await openPage(browser)
  await d.page.goto(`${server.url}/`)
  await signIn(d.page, dept_head, clock, d.allowHttp)
  await d.page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor()
  await d.page.getByRole('navigation').getByRole('link', { name: '申請・承認' }).click()
  await d.page.getByRole('heading', { level: 1, name: '申請・承認' }).waitFor()
  const dm = d.page.getByRole('main')
  assert.equal(await dm.getByRole('tab', { name: '承認待ち' }).getAttribute('aria-selected'), 'true')
  const row = dm.locator(`.approvals-table[data-box="inbox"] tr[data-id="${req}"]`)
  await row.waitFor()
  const text = await row.innerText()
  assert.match(text, /持出し/)
  assert.match(text, new RegExp(employee.login))
  assert.match(text, /2027\/04\/01 09:\d{2}/) // requested at
  assert.match(text, /2027\/04\/02/) // due: the planned take-out date
  assert.equal(await row.locator('.approval-overdue').count(), 0)
  await d.page.screenshot({ path: shot('approvals-inbox-ja'), fullPage: true })
  await row.getByRole('link', { name: /T-USB-001/ }).click()
  await d.page.waitForURL(new RegExp(`#/approvals/${req}$`))
  await d.page.getByRole('heading', { level: 1, name: new RegExp(`^申請 #${req}`) }).waitFor()
  await dm.locator('.approval-steps li[data-step="1"][aria-current="step"]').waitFor()
  assert.match(await dm.locator('.approval-steps').innerText(), /部門長/)
  assert.equal(await dm.getByRole('link', { name: `register:takeouts:${tk}` }).getAttribute('href'), `#/ledgers/takeouts/${tk}`)
  const snap = dm.locator('.snapshot-table')
  assert.match(await snap.locator('tr[data-key="item"]').innerText(), /USBメモリ（見積資料）/)
  assert.match(await snap.locator('tr[data-key="item_class"]').innerText(), /internal/)
  await dm.getByText('まだ決裁はありません。').waitFor()
  await dm.getByRole('textbox', { name: 'コメント' }).fill('暗号化を確認。返却時に報告すること。')
  await dm.getByRole('button', { name: '承認', exact: true }).click()
  await dm.getByText('申請を承認しました。').waitFor()
  const decision = dm.locator('.decisions-table tr[data-decision="approved"]')
  await decision.waitFor()
  const dt = await decision.innerText()
  assert.match(dt, /承認済み/)
  assert.match(dt, new RegExp(dept_head.login))
  assert.match(dt, /部門長/)
  assert.match(dt, /暗号化を確認。返却時に報告すること。/)
  assert.equal(await dm.locator('.approval-state').first().getAttribute('data-state'), 'approved')
  assert.equal(await dm.getByRole('button', { name: '承認', exact: true }).count(), 0)
  await d.page.screenshot({ path: shot('approval-ja'), fullPage: true })
  // the inbox is empty now
  await d.page.getByRole('link', { name: '申請・承認に戻る' }).click()
  await dm.getByText('承認待ちの申請はありません。').waitFor()
  d.check()
  await d.context.close()

  // ---- the employee: approved under 自分の申請; the take-out time on the record ----
  clock.advance(60)
  await e.page.reload() // the list was already open: read it again
  await e.page.getByRole('heading', { level: 1, name: '申請・承認' }).waitFor()
  await em.getByRole('tab', { name: '自分の申請' }).click()
  await em.locator(`.approvals-table[data-box="mine"] tr[data-id="${req}"][data-state="approved"]`).waitFor()
  await e.page.goto(`${server.url}/#/ledgers/takeouts/${tk}`)
  await em.locator('.record-approval').getByRole('link', { name: `申請 #${req}（承認済み）` }).waitFor()
  const recForm = e.page.getByRole('form')
  await recForm.getByLabel(named('持出日時')).fill('2027-04-02T09:00')
  await recForm.getByRole('button', { name: '保存' }).click()
  await em.getByText('保存しました。').waitFor()
  let r = await employee.c.get(`/api/registers/takeouts/records/${tk}`)
  assert.equal(r.status, 200, r.text)
  assert.equal(r.body.approver, dept_head.login)
  assert.equal(r.body.takeout_time, '2027-04-02T00:00:00Z')
  e.check()
  await e.context.close()

  // ---- 2027-05-02: past the return date (04-11), the take-out is overdue on the dashboard ----
  clock.ms = Date.parse('2027-05-02T09:00:00+09:00')
  clock.write()
  const o = await openPage(browser)
  await o.page.goto(`${server.url}/`)
  await signIn(o.page, officer, clock, o.allowHttp)
  await o.page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor()
  const om = o.page.getByRole('main')
  const violation = om.locator('.finding[data-code="takeout_overdue"]')
  await violation.waitFor()
  assert.match(await violation.innerText(), /持出物が返却予定日を過ぎても未返却/)
  assert.equal(await violation.getByRole('link', { name: 'T-USB-001' }).getAttribute('href'), `#/ledgers/takeouts/${tk}`)
  // the officer (approvals.all) has すべて, where the request is approved
  await o.page.getByRole('navigation').getByRole('link', { name: '申請・承認' }).click()
  await om.getByRole('tab', { name: 'すべて' }).click()
  await om.locator(`.approvals-table[data-box="all"] tr[data-id="${req}"][data-state="approved"]`).waitFor()
  o.check()
  await o.context.close()
})
