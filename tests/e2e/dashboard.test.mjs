// The dashboard and やること in the browser, against the real `mamori serve` with a movable clock
// (MAMORI_NOW=@file): the data directory is made on 2027-04-01, a take-out approved by the
// department head is due back on 04-11, and the clock moves to 2027-05-02, when the monthly log
// review (due 05-01) is overdue and the take-out is past its return date. The officer (the security
// officer, who may read the check) signs in with TOTP: the dashboard shows the counts, both items
// with their regulation and a link to the record, and the calendar shows the due dates; on やること
// the log review's completion is recorded (first without evidence: the server's error sits next to
// the field) and it moves to done. An employee sees what they can do instead, and no やること.
// Japanese throughout; no console error, no CSP violation, no unexpected HTTP error.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Client, totp } from '../api/client.mjs'
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

/** A data directory made at the clock's start; the officer (TOTP), an employee and a department head. */
async function world() {
  const w = await shared({ employee: ['employee'], dept_head: ['dept_head'] })
  worlds.push(w)
  return w
}

test('dashboard counts, findings with their regulation, calendar; completing the log review on やること', async () => {
  const { clock, server, who } = await world()
  const { employee, dept_head, officer } = who

  // a take-out of internal material, approved by the department head, taken out, due back 04-11
  let r = await employee.c.post('/api/registers/takeouts/records', {
    takeout_no: 'T-001', item: 'ノートPC', item_class: 'internal', person: employee.person, destination: '客先', purpose: '打合せ',
    planned_takeout: '2027-04-02', return_due: '2027-04-11', encrypted: true, protection: 'BitLocker',
  })
  assert.equal(r.status, 201, r.text)
  const tk = r.body.id
  r = await dept_head.c.post(`/api/registers/takeouts/records/${tk}/approvals`, { decision: 'approved', comment: '' })
  assert.equal(r.status, 200, r.text)
  r = await employee.c.patch(`/api/registers/takeouts/records/${tk}`, { takeout_time: '2027-04-02T09:00:00+09:00' })
  assert.equal(r.status, 200, r.text)

  // 2027-05-02: the log review (due 05-01) is overdue; the take-out is past its return date
  clock.ms = Date.parse('2027-05-02T09:00:00+09:00')
  clock.write()
  const api = new Client(server.url)
  clock.advance(30)
  r = await api.login(officer.login, officer.password, totp(officer.secret, clock))
  assert.equal(r.status, 201, r.text)
  const expected = (await api.get('/api/check')).body
  const calendar = (await api.get('/api/duties')).body
  await api.del('/api/session')
  assert.deepEqual(expected.duties.map((d) => d.code), ['log_review'])
  assert.deepEqual(expected.violations.map((v) => v.code), ['takeout_overdue'])
  const dueSoon = calendar.items.filter((d) => d.state === 'due').length

  const { page, context, check, allowHttp } = await openPage(browser)
  await page.goto(`${server.url}/`)
  await signIn(page, officer, clock, allowHttp)
  await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor()
  const main = page.getByRole('main')

  // the counts, as large numbers that link to the lists; 本日 is the server's date
  await main.getByText('本日：2027/05/02（令和9年）').waitFor()
  const count = (kind) => main.locator(`.count[data-kind="${kind}"]`)
  await count('overdue').waitFor()
  assert.equal(await count('overdue').locator('.count-value').innerText(), '1')
  assert.equal(await count('violations').locator('.count-value').innerText(), '1')
  await page.locator(`.count[data-kind="due"][data-value="${dueSoon}"]`).waitFor()
  assert.match(await count('overdue').innerText(), /期限超過の義務/)
  assert.equal(await count('overdue').getByRole('link').getAttribute('href'), '#/duties?state=overdue')

  // the violation and the overdue duty, each with its regulation, owner and record
  const violation = main.locator('.finding[data-code="takeout_overdue"]')
  assert.match(await violation.innerText(), /持出物が返却予定日を過ぎても未返却/)
  assert.match(await violation.innerText(), /003 §6\.4/)
  // who must act: the approver of the take-out's class ([takeout] approver_confidential, 004 ch3 §2)
  assert.equal(await violation.locator('.finding-owner').innerText(), '部門長')
  assert.match(await violation.locator('.finding-owner').getAttribute('title'), /004 ch3 §2/)
  assert.equal(await violation.getByRole('link', { name: 'T-001' }).getAttribute('href'), `#/ledgers/takeouts/${tk}`)
  const overdue = main.locator('.finding[data-code="log_review"]')
  assert.match(await overdue.innerText(), /アクセスログ・ファイアウォールログの点検/)
  assert.match(await overdue.innerText(), /000 【５】/)
  assert.match(await overdue.innerText(), /システム管理者/)
  assert.match(await overdue.innerText(), /2027\/05\/01/)

  // the calendar: May 2027, today marked, the log review on 05-01; April has the take-out's return
  const cal = main.locator('table.calendar')
  assert.equal(await cal.getAttribute('data-month'), '2027-05')
  assert.match(await cal.locator('caption').innerText(), /2027年5月/)
  assert.equal(await cal.locator('td[aria-current="date"]').getAttribute('data-date'), '2027-05-02')
  const may1 = cal.locator('td[data-date="2027-05-01"]')
  assert.match(await may1.innerText(), /アクセスログ/)
  assert.equal(await may1.locator('.calendar-item[data-code="log_review"]').getAttribute('data-state'), 'overdue')
  await page.screenshot({ path: shot('dashboard-ja'), fullPage: true })
  // previous month from the keyboard
  await main.getByRole('button', { name: '前の月' }).focus()
  await page.keyboard.press('Enter')
  await page.locator('table.calendar[data-month="2027-04"]').waitFor()
  const apr11 = cal.locator('td[data-date="2027-04-11"]')
  assert.match(await apr11.innerText(), /持出物の返却（T-001）/)
  assert.equal(await apr11.getByRole('link').getAttribute('href'), `#/ledgers/takeouts/${tk}`)
  await main.getByRole('button', { name: '次の月' }).click()
  await page.locator('table.calendar[data-month="2027-05"]').waitFor()

  // やること, filtered to the overdue duties from the count
  await count('overdue').getByRole('link').click()
  await page.getByRole('heading', { level: 1, name: 'やること' }).waitFor()
  const row = main.locator('tr[data-code="log_review"]')
  await row.waitFor()
  assert.equal(await main.getByRole('radio', { name: /^期限超過/ }).getAttribute('aria-checked'), 'true')
  assert.match(await row.innerText(), /2027\/05\/01/)
  assert.match(await row.innerText(), /令和9年5月1日/)
  assert.match(await row.innerText(), /未実施/)
  assert.equal(await row.locator('.duty-state').getAttribute('data-state'), 'overdue')
  assert.match(await row.locator('.duty-state').innerText(), /期限超過/)
  await page.screenshot({ path: shot('duties-ja'), fullPage: true })

  // record the completion: first without evidence (the server's 422, next to the field)
  await row.getByRole('button', { name: /完了を記録/ }).click()
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  allowHttp(422, 'POST', '/api/duties/log_review/completions')
  await dialog.getByRole('button', { name: '記録する' }).click()
  const evidence = dialog.getByRole('textbox', { name: /実施の証跡/ })
  await page.waitForFunction(() => document.activeElement?.id === 'complete-evidence')
  const evidenceControl = dialog.locator('[data-field="evidence"]')
  assert.match(await evidenceControl.innerText(), /実施の証跡（何を確認したか・記録の所在）を入力してください/)
  await evidence.fill('4月分のアクセスログ・FWログを点検（保存先 \\\\nas\\logs\\2027-04）')
  await dialog.getByRole('textbox', { name: /指摘事項/ }).fill('不正アクセスの形跡なし')
  await dialog.getByRole('button', { name: '記録する' }).click()
  await dialog.waitFor({ state: 'detached' })
  await main.getByText('の完了を記録しました').waitFor()

  // done: shown under 実施済み, with who and when
  await main.getByRole('radio', { name: /^実施済み/ }).click()
  await page.waitForURL(/#\/duties\?state=done$/)
  const done = main.locator('tr[data-code="log_review"][data-state="done"]')
  await done.waitFor()
  assert.match(await done.innerText(), /実施済み/)
  assert.match(await done.innerText(), new RegExp(`${officer.login}（2027/05/02 \\d{2}:\\d{2}）`))
  assert.match(await done.innerText(), /2027\/06\/02/)

  // and the dashboard no longer counts it
  await page.getByRole('link', { name: 'ダッシュボード' }).click()
  await page.locator('.count[data-kind="overdue"][data-value="0"]').waitFor()
  assert.equal(await main.locator('.finding[data-code="log_review"]').count(), 0)
  assert.equal(await main.locator('.finding[data-code="takeout_overdue"]').count(), 1)
  check()
  await context.close()

  // an employee: what they can do, no check, no duties
  const e = await openPage(browser)
  await e.page.goto(`${server.url}/`)
  await signIn(e.page, employee, clock, e.allowHttp)
  await e.page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor()
  const em = e.page.getByRole('main')
  await em.getByText('mamori でできること').waitFor()
  assert.equal(await em.getByRole('link', { name: '台帳' }).getAttribute('href'), '#/ledgers')
  assert.equal(await em.getByRole('link', { name: 'マイナンバー' }).getAttribute('href'), '#/mynumber')
  assert.equal(await em.getByRole('link', { name: '申請・承認' }).getAttribute('href'), '#/approvals')
  assert.equal(await em.locator('.count').count(), 0)
  await e.page.getByRole('navigation').getByRole('link', { name: 'やること' }).click()
  await e.page.getByRole('heading', { level: 1, name: 'やること' }).waitFor()
  assert.match(await em.innerText(), /権限がありません/)
  e.check()
  await e.context.close()
})
