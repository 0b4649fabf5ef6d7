// マイナンバー (the My Number vault) in the browser, against the real `mamori serve`: the officer issues
// a handler and a manager account (the one-time passwords from the dialog; first logins with TOTP through
// the API, codes from oathtool) and reports a number received by mistake (never typing the number); the
// manager gives the handler a scope; the handler registers an employee (a wrong check digit first: the
// live indicator, then the server's 422 next to the field), sees the number masked in the list, shows it
// for a purpose (it appears, then hides itself after 30 seconds), registers a partner with a 法人番号,
// exports it (the password shown once, an encrypted ZIP saved from the page) and asks for a deletion
// with the second confirmation; the manager approves it in the queue, resolves the mistake report, reads
// the monthly access report and grants IT staff access (the system administrator is refused before,
// sees the masked list during, no 表示 button) then revokes it; the list then shows the subject as
// deleted; the auditor sees only masked numbers, no 表示 button, and the 取扱記録簿. The page's HTML never
// holds a clear number except inside the reveal element while it is shown; no console message, URL or
// page title ever does. Japanese throughout; no console error, no CSP violation, no unexpected HTTP error.
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

// 123456789018 is the usual valid example (check digit 8); 123456789012 has a wrong one.
const NUMBER = '123456789018'
const WRONG = '123456789012'
const CORPORATE = '7000012050002' // 国税庁's 法人番号
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** The number as digits possibly separated by spaces or hyphens (how it could appear in text). */
const anyForm = (n) => new RegExp(n.split('').map(esc).join('[\\s\\-]?'))

/** The page's HTML with the reveal element taken out. */
const htmlOutsideReveal = (page) =>
  page.evaluate(() => {
    const copy = document.documentElement.cloneNode(true)
    for (const el of copy.querySelectorAll('.mn-reveal')) el.remove()
    return copy.outerHTML
  })

/** Asserts that no clear number is in the page (outside the reveal element), its URL or its title. */
async function assertNoNumber(page, where) {
  const html = await htmlOutsideReveal(page)
  for (const n of [NUMBER, CORPORATE]) {
    assert.doesNotMatch(html, anyForm(n), `${where}: no clear number in the HTML`)
    assert.doesNotMatch(html.replace(/<[^>]*>/g, ''), anyForm(n), `${where}: no clear number in the text`)
  }
  assert.doesNotMatch(page.url(), /\d{12}/, `${where}: no number in the URL`)
  assert.doesNotMatch(await page.title(), /\d{12}/, `${where}: no number in the title`)
}

/** Records every console message of a page, to show that no number is ever logged. */
function consoleOf(page) {
  const lines = []
  page.on('console', (m) => lines.push(m.text()))
  return lines
}

test('My Number: register with the live check digit, masked list, reveal for a purpose, deletion with two confirmations, approval; others see only masked numbers', async () => {
  const env = await startWithClock({ ready: true })
  servers.push(env.server)
  const { server, clock, officer } = env

  // People for the handler, the manager and the auditor (through the API, as the officer).
  const api = new Client(server.url)
  clock.advance(30)
  let r = await api.login(officer.login, officer.password, totp(officer.secret, clock))
  assert.equal(r.status, 201, r.text)
  const person = {}
  for (const [key, no, name, kana] of [
    ['handler', 'E101', '田中 一郎', 'タナカ イチロウ'],
    ['manager', 'E102', '高橋 次郎', 'タカハシ ジロウ'],
    ['auditor', 'E103', '伊藤 三郎', 'イトウ サブロウ'],
    ['sysadmin', 'E104', '鈴木 四郎', 'スズキ シロウ'],
  ]) {
    r = await api.post('/api/people', { employee_no: no, name, name_kana: kana, employment_type: 'regular' })
    assert.equal(r.status, 201, r.text)
    person[key] = r.body.id
  }
  const sato = (await api.get('/api/people')).body.items.find((p) => p.employee_no === 'E001')
  assert.ok(sato, 'the employee 佐藤 花子 exists')

  // ---- the officer: issues the handler and manager accounts in アカウント ----
  const o = await openPage(browser)
  await o.page.goto(`${server.url}/#/admin/accounts`)
  await signIn(o.page, officer, clock, o.allowHttp)
  await o.page.getByRole('heading', { level: 1, name: 'アカウント' }).waitFor()
  const oneTime = {}
  for (const [login, label, role] of [
    ['tanaka', 'E101　田中 一郎（タナカ イチロウ）', /事務取扱担当者/],
    ['takahashi', 'E102　高橋 次郎（タカハシ ジロウ）', /事務取扱責任者/],
  ]) {
    await o.page.getByRole('button', { name: 'アカウントを発行' }).click()
    const issue = o.page.getByRole('dialog', { name: 'アカウントを発行' })
    await issue.getByRole('combobox', { name: /^従業員/ }).selectOption({ label })
    await issue.getByRole('textbox', { name: /^ログイン名/ }).fill(login)
    await issue.getByRole('checkbox', { name: role }).check()
    await issue.getByRole('button', { name: '発行する' }).click()
    const shown = o.page.getByRole('dialog', { name: '初回用パスワード' })
    await shown.waitFor()
    oneTime[login] = (await shown.locator('.one-time-password').innerText()).trim()
    await shown.getByRole('button', { name: '閉じる' }).click()
    await shown.waitFor({ state: 'detached' })
  }
  r = await api.post('/api/accounts', { person_id: person.auditor, login: 'ito', roles: ['employee', 'auditor'] })
  assert.equal(r.status, 201, r.text)
  oneTime.ito = r.body.password
  r = await api.post('/api/accounts', { person_id: person.sysadmin, login: 'suzuki', roles: ['employee', 'sysadmin'] })
  assert.equal(r.status, 201, r.text)
  oneTime.suzuki = r.body.password
  const accounts = (await api.get('/api/accounts')).body.items
  const handlerId = accounts.find((a) => a.login === 'tanaka').id
  assert.ok(accounts.find((a) => a.login === 'tanaka').roles.includes('mynumber_handler'))
  assert.ok(accounts.find((a) => a.login === 'takahashi').roles.includes('mynumber_manager'))
  await api.del('/api/session')

  // First logins (password change, TOTP enrolment) through the API.
  const handler = { login: 'tanaka', ...(await firstLogin(new Client(server.url), 'tanaka', oneTime.tanaka, clock, STRONG)) }
  const manager = { login: 'takahashi', ...(await firstLogin(new Client(server.url), 'takahashi', oneTime.takahashi, clock, STRONG)) }
  const auditor = { login: 'ito', ...(await firstLogin(new Client(server.url), 'ito', oneTime.ito, clock, STRONG)) }
  const sysadmin = { login: 'suzuki', ...(await firstLogin(new Client(server.url), 'suzuki', oneTime.suzuki, clock, STRONG)) }

  // ---- the officer (no My Number role): the guide and the report of a number received by mistake ----
  await o.page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'マイナンバー' }).click()
  await o.page.getByRole('heading', { level: 1, name: 'マイナンバー', exact: true }).waitFor()
  const guide = await o.page.getByRole('main').innerText()
  assert.match(guide, /事務取扱担当者/)
  assert.match(guide, /事務取扱責任者/)
  assert.match(guide, /自分で削除・廃棄しないでください/)
  assert.match(guide, /番号そのもの（12桁の数字）は、このフォームに絶対に入力しないでください/)
  assert.equal(await o.page.locator('.mn-subjects').count(), 0, 'no list for the officer')
  const description = o.page.getByRole('textbox', { name: /^受け取った状況/ })
  // The number typed into the report anyway: refused in the page, before anything is sent.
  await description.fill(`人事部から届いた封筒に 1234 5678 9018 と書かれた書類がありました`)
  await o.page.getByRole('button', { name: '報告する' }).click()
  await o.page.getByText('個人番号のような数字が含まれています').waitFor()
  assert.equal(await description.getAttribute('aria-invalid'), 'true')
  assert.ok(await description.evaluate((el) => el === document.activeElement), 'focus on the description')
  await description.fill('2027年4月1日、取引先からのメールに添付された源泉徴収票に番号が記載されていました。メールはそのまま受信箱にあります。')
  await o.page.getByRole('button', { name: '報告する' }).click()
  await o.page.getByText('報告しました。').waitFor()
  await o.page.mouse.click(1, 799)
  await o.page.screenshot({ path: shot('mynumber-guide'), fullPage: true })
  o.check()
  await o.context.close()

  // ---- the manager: the handler's scope ----
  const m = await openPage(browser, { clockAt: clock.ms })
  await m.page.goto(`${server.url}/#/mynumber`)
  await signIn(m.page, manager, clock, m.allowHttp)
  await m.page.getByRole('heading', { level: 1, name: 'マイナンバー対象者' }).waitFor()
  const mnav = m.page.getByRole('navigation', { name: 'マイナンバーのメニュー' })
  assert.deepEqual(await mnav.getByRole('link').allInnerTexts(), [
    '対象者',
    '削除の承認',
    '担当者の範囲',
    'IT担当者の許可',
    '誤受領への対応',
    '月次アクセス報告',
    '本人からの請求',
    '取扱記録簿',
    '取扱いの案内・誤受領の報告',
  ])
  await mnav.getByRole('link', { name: '担当者の範囲' }).click()
  await m.page.getByRole('heading', { level: 1, name: '事務取扱担当者の範囲' }).waitFor()
  await m.page.getByLabel(/^担当者のアカウントID/).fill(String(handlerId))
  await m.page.getByRole('button', { name: '範囲を表示' }).click()
  await m.page.getByRole('checkbox', { name: '源泉徴収票作成事務' }).check()
  await m.page.getByRole('checkbox', { name: '報酬、料金、契約金及び賞金に関する支払調書作成事務' }).check()
  await m.page.getByRole('button', { name: '保存' }).click()
  await m.page.getByText(`#${handlerId} の範囲を保存しました。`).waitFor()

  // ---- the handler: registers an employee ----
  const h = await openPage(browser, { clockAt: clock.ms })
  const hConsole = consoleOf(h.page)
  await h.page.goto(`${server.url}/#/mynumber`)
  await signIn(h.page, handler, clock, h.allowHttp)
  await h.page.getByRole('heading', { level: 1, name: 'マイナンバー対象者' }).waitFor()
  const hnav = h.page.getByRole('navigation', { name: 'マイナンバーのメニュー' })
  assert.deepEqual(await hnav.getByRole('link').allInnerTexts(), ['対象者', '対象者を登録', '出力', '本人からの請求', '取扱記録簿', '取扱いの案内・誤受領の報告'])
  assert.equal(await h.page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'マイナンバー' }).getAttribute('aria-current'), 'page')
  await h.page.getByText('登録されている対象者はいません。').waitFor()
  await h.page.getByRole('main').getByRole('link', { name: '対象者を登録' }).first().click()
  await h.page.getByRole('heading', { level: 1, name: '対象者の登録' }).waitFor()
  await h.page.getByLabel(/^区分/).selectOption({ label: '従業員' })
  await h.page.getByLabel(/^従業員/).fill(String(sato.id)) // no people.read: the person's id
  await h.page.getByLabel(/^氏名/).fill('佐藤 花子')
  await h.page.getByLabel(/^フリガナ/).fill('サトウ ハナコ')
  // the purposes offered are those of an employee
  const offered = await h.page.locator('.mn-purposes input[type="checkbox"]').evaluateAll((els) => els.map((e) => e.value))
  assert.ok(offered.includes('withholding') && !offered.includes('partner_payment'), `purposes of an employee: ${offered}`)
  await h.page.getByRole('checkbox', { name: '源泉徴収票作成事務' }).check()
  const number = h.page.getByLabel(/^個人番号/)
  // not a password field (no password manager may offer to keep it), but drawn as discs
  assert.equal(await number.getAttribute('type'), 'text')
  assert.equal(await number.evaluate((el) => getComputedStyle(el).webkitTextSecurity), 'disc')
  assert.equal(await number.getAttribute('autocomplete'), 'off')
  const indicator = h.page.locator('.mn-check')
  assert.equal(await indicator.getAttribute('data-check'), 'empty')
  await number.pressSequentially('１２３４')
  await h.page.locator('.mn-check[data-check="short"]').waitFor()
  assert.match(await indicator.innerText(), /4桁（12桁必要です）/)
  // A wrong check digit: the indicator says so at once.
  await number.fill(WRONG)
  await h.page.locator('.mn-check[data-check="invalid"]').waitFor()
  assert.match(await indicator.innerText(), /チェックデジットが一致しません/)
  await assertNoNumber(h.page, 'typing')
  assert.doesNotMatch(await h.page.content(), new RegExp(WRONG), 'the typed number is no attribute of the page')
  await h.page.getByLabel(/^番号確認の書類/).selectOption({ label: '個人番号カード' })
  assert.equal(await h.page.getByLabel(/^身元確認の書類/).inputValue(), 'individual_number_card', 'the card proves both')
  await h.page.screenshot({ path: shot('mynumber-new-invalid'), fullPage: true })
  // Sent anyway: the server's 422 sits next to the field, which gets focus.
  h.allowHttp(422, 'POST', '/api/mynumber/subjects')
  await h.page.getByRole('button', { name: '登録する' }).click()
  await h.page.waitForFunction(() => document.querySelector('input[name="mn-number"]')?.getAttribute('aria-invalid') === 'true')
  const described = await number.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  )
  assert.match(described, /チェックデジットが一致しません/, `the server's error describes the field: ${described}`)
  assert.ok(await number.evaluate((el) => el === document.activeElement), 'focus on the number')
  assert.match(await h.page.locator('.form-error-summary').innerText(), /入力内容を確認してください/)
  // The right number, with hyphens: valid; registered.
  await number.fill('1234-5678-9018')
  await h.page.locator('.mn-check[data-check="valid"]').waitFor()
  assert.match(await indicator.innerText(), /個人番号の形式とチェックデジットは正しいです/)
  await assertNoNumber(h.page, 'typed valid')
  await h.page.getByRole('button', { name: '登録する' }).click()

  // The list: the number masked.
  await h.page.getByRole('heading', { level: 1, name: 'マイナンバー対象者' }).waitFor()
  await h.page.getByText('対象者を登録しました。').waitFor()
  const row = h.page.locator('.mn-subjects tbody tr', { hasText: '佐藤 花子' })
  await row.waitFor()
  assert.match(await row.innerText(), /従業員\s+佐藤 花子\s+サトウ ハナコ\s+\*{8}9018\s+源泉徴収票作成事務\s+保管中/)
  const subjectId = Number(await row.getAttribute('data-subject'))
  await assertNoNumber(h.page, 'list')
  await h.page.mouse.click(1, 799)
  await h.page.screenshot({ path: shot('mynumber-list'), fullPage: true })

  // The subject; 「番号を表示」 asks the purpose first.
  await row.getByRole('link', { name: '佐藤 花子' }).click()
  await h.page.getByRole('heading', { level: 1, name: '対象者：佐藤 花子' }).waitFor()
  assert.equal(await h.page.locator('.mn-masked').innerText(), '********9018')
  await h.page.getByRole('button', { name: '番号を表示' }).click()
  const reveal = h.page.getByRole('dialog', { name: '番号の表示：利用目的' })
  await reveal.waitFor()
  assert.equal(await reveal.getByRole('combobox', { name: /^今回の利用目的/ }).inputValue(), 'withholding')
  await assertNoNumber(h.page, 'purpose asked')
  await reveal.getByRole('button', { name: '表示する' }).click()
  const shownNumber = h.page.locator('.mn-reveal[data-state="shown"] .mn-reveal-number')
  await shownNumber.waitFor()
  assert.equal((await shownNumber.innerText()).replace(/\s/g, ''), NUMBER)
  assert.match(await h.page.locator('.mn-reveal').innerText(), /あと\d+秒で隠します/)
  await assertNoNumber(h.page, 'revealed (outside the reveal element)')
  await h.page.screenshot({ path: shot('mynumber-revealed'), fullPage: true })
  // 30 seconds later it is gone, and the button is back.
  await h.page.clock.fastForward('00:31')
  await h.page.locator('.mn-reveal').waitFor({ state: 'detached' })
  await h.page.getByRole('button', { name: '番号を表示' }).waitFor()
  await assertNoNumber(h.page, 'hidden again')
  assert.doesNotMatch(await h.page.content(), anyForm(NUMBER), 'no number anywhere after hiding')

  // A partner with a 法人番号 (13 digits, its check digit first; no 本人確認 needed).
  await hnav.getByRole('link', { name: '対象者を登録' }).click()
  await h.page.getByRole('heading', { level: 1, name: '対象者の登録' }).waitFor()
  await h.page.getByLabel(/^区分/).selectOption({ label: '取引先（報酬等の支払先）' })
  await h.page.getByLabel(/^氏名/).fill('国税庁')
  await h.page.getByRole('checkbox', { name: '報酬、料金、契約金及び賞金に関する支払調書作成事務' }).check()
  await h.page.getByLabel(/^個人番号または法人番号/).fill(CORPORATE)
  await h.page.locator('.mn-check[data-check="valid"]').waitFor()
  assert.match(await h.page.locator('.mn-check').innerText(), /法人番号の形式とチェックデジットは正しいです/)
  await h.page.getByRole('button', { name: '登録する' }).click()
  await h.page.getByText('対象者を登録しました。').waitFor()
  const partnerRow = h.page.locator('.mn-subjects tbody tr', { hasText: '国税庁' })
  await partnerRow.waitFor()
  assert.match(await partnerRow.innerText(), /\*{9}0002/)
  await assertNoNumber(h.page, 'list with a partner')

  // 出力: the partner's number in an encrypted ZIP; the password shown once, the file saved from the page.
  await hnav.getByRole('link', { name: '出力' }).click()
  await h.page.getByRole('heading', { level: 1, name: '番号の出力' }).waitFor()
  await h.page.getByLabel(/^利用目的/).selectOption('partner_payment')
  await h.page.getByLabel(/^提出先/).fill('麹町税務署')
  await h.page.getByRole('button', { name: '出力する' }).click()
  await h.page.getByText('1人分を出力しました。').waitFor()
  const password = (await h.page.locator('.mn-export-password').innerText()).trim()
  assert.ok(password.length >= 12, `a generated password: ${password.length} characters`)
  assert.match(await h.page.getByRole('main').innerText(), /このパスワードは二度と表示されません。ファイルとは別の方法/)
  const [download] = await Promise.all([h.page.waitForEvent('download'), h.page.getByRole('link', { name: /^ファイルを保存/ }).click()])
  assert.match(download.suggestedFilename(), /^mynumber-\d{8}-\d{6}\.zip$/)
  const zip = readFileSync(await download.path())
  assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a ZIP file')
  assert.equal(zip[6] & 1, 1, 'its entry is encrypted')
  assert.ok(!zip.includes(Buffer.from(CORPORATE)), 'no clear number in the file')
  await assertNoNumber(h.page, 'export')
  await h.page.mouse.click(1, 799)
  await h.page.screenshot({ path: shot('mynumber-export'), fullPage: true })
  await hnav.getByRole('link', { name: '対象者', exact: true }).click()
  await h.page.getByRole('heading', { level: 1, name: 'マイナンバー対象者' }).waitFor()
  await hnav.getByRole('link', { name: '出力' }).click()
  await h.page.getByRole('heading', { level: 1, name: '番号の出力' }).waitFor()
  assert.doesNotMatch(await h.page.content(), new RegExp(esc(password)), 'the password is shown once')

  // 削除を申請: the subject's id and the last four digits typed again.
  await hnav.getByRole('link', { name: '対象者', exact: true }).click()
  await h.page.getByRole('heading', { level: 1, name: 'マイナンバー対象者' }).waitFor()
  await row.getByRole('link', { name: '佐藤 花子' }).click()
  await h.page.getByRole('heading', { level: 1, name: '対象者：佐藤 花子' }).waitFor()
  await h.page.getByRole('button', { name: '削除を申請' }).click()
  const del = h.page.getByRole('dialog', { name: '削除の申請' })
  await del.waitFor()
  await del.getByLabel(/^対象者のID（確認）/).fill(String(subjectId + 100))
  await del.getByLabel(/^番号の下4桁（確認）/).fill('9019')
  await del.getByLabel(/^削除の理由/).fill('退職後の保存期間が経過したため')
  await del.getByRole('button', { name: '削除を申請する' }).click()
  await del.getByText('この対象者のIDと一致しません').waitFor()
  await del.getByText('番号の下4桁と一致しません').waitFor()
  const confirmId = del.getByLabel(/^対象者のID（確認）/)
  assert.equal(await confirmId.getAttribute('aria-invalid'), 'true')
  assert.ok(await confirmId.evaluate((el) => el === document.activeElement), 'focus on the first mismatch')
  await confirmId.fill(String(subjectId))
  await del.getByLabel(/^番号の下4桁（確認）/).fill('9018')
  await h.page.screenshot({ path: shot('mynumber-deletion'), fullPage: true })
  await del.getByRole('button', { name: '削除を申請する' }).click()
  await h.page.getByText('削除を申請しました。').waitFor()
  await del.waitFor({ state: 'detached' })
  await h.page.getByText('削除申請中', { exact: true }).first().waitFor()
  assert.equal(await h.page.getByRole('button', { name: '番号を表示' }).count(), 0, 'no reveal while a deletion is pending')

  // ---- the manager approves; the number is erased ----
  await m.page.getByRole('navigation', { name: 'マイナンバーのメニュー' }).getByRole('link', { name: '削除の承認' }).click()
  await m.page.getByRole('heading', { level: 1, name: '削除の承認' }).waitFor()
  const request = m.page.locator(`.mn-queue tbody tr[data-subject="${subjectId}"]`)
  await request.waitFor()
  assert.match(await request.innerText(), /佐藤 花子[\s\S]*退職後の保存期間が経過したため[\s\S]*tanaka/)
  await request.getByRole('button', { name: /^承認/ }).click()
  const approve = m.page.getByRole('dialog', { name: '削除の承認' })
  await approve.waitFor()
  assert.match(await approve.innerText(), /復元できません/)
  await approve.getByRole('button', { name: '承認して消去する' }).click()
  await m.page.getByText('承認しました。番号を消去しました。').waitFor()
  await m.page.getByText('承認待ちの申請はありません。').waitFor()
  await m.page.mouse.click(1, 799)
  await m.page.screenshot({ path: shot('mynumber-queue'), fullPage: true })

  // The mistake report reached the manager, who records what was done.
  await m.page.getByRole('navigation', { name: 'マイナンバーのメニュー' }).getByRole('link', { name: '誤受領への対応' }).click()
  await m.page.getByRole('heading', { level: 1, name: '誤って受け取った番号の報告' }).waitFor()
  const report = m.page.locator('.mn-mistakes tbody tr', { hasText: '取引先からのメール' })
  await report.waitFor()
  assert.match(await report.innerText(), /officer[\s\S]*未対応/)
  await report.getByRole('button', { name: '対応を記録' }).click()
  const resolve = m.page.getByRole('dialog', { name: '誤受領への対応' })
  await resolve.getByLabel(/^対応内容/).fill('メールを完全に削除し、送信者に連絡した')
  await resolve.getByRole('button', { name: '対応済みにする' }).click()
  await m.page.getByText('対応済みにしました。').waitFor()
  await report.getByText('対応済み', { exact: true }).waitFor()
  // The monthly access report: the reveal, by whom and for which purpose.
  await m.page.getByRole('navigation', { name: 'マイナンバーのメニュー' }).getByRole('link', { name: '月次アクセス報告' }).click()
  await m.page.getByRole('heading', { level: 1, name: '月次アクセス報告' }).waitFor()
  await m.page.getByLabel(/^対象の月/).fill('2027-04')
  await m.page.getByRole('button', { name: '表示', exact: true }).click()
  const revealRow = m.page.locator('.mn-report-summary tbody tr[data-actor="tanaka"][data-action="mynumber.reveal"]')
  await revealRow.waitFor()
  assert.match(await revealRow.innerText(), /tanaka\s+番号の表示\s+参照\s+成功\s+1/)
  assert.match(await m.page.locator('.mn-report-events').innerText(), /番号の表示[\s\S]*源泉徴収票作成事務/)
  assert.match(m.page.url(), /#\/mynumber\/report\?month=2027-04$/)

  // IT staff: without a grant the system administrator is refused the list (asked for only on request).
  const s = await openPage(browser)
  await s.page.goto(`${server.url}/#/mynumber`)
  await signIn(s.page, sysadmin, clock, s.allowHttp)
  await s.page.getByRole('heading', { level: 1, name: 'マイナンバー対象者' }).waitFor()
  await s.page.getByText('IT担当者（システム管理者）の方へ').waitFor()
  assert.equal(await s.page.locator('.mn-subjects').count(), 0, 'nothing asked for on arrival')
  s.allowHttp(403, 'GET', '/api/mynumber/subjects')
  s.allowHttp(403, 'GET', '/api/mynumber/purposes')
  await s.page.getByRole('button', { name: '一覧を開く' }).click()
  await s.page.getByText('事務取扱責任者の許可が有効な間だけです').waitFor()

  // The manager grants access until the evening…
  await m.page.getByRole('navigation', { name: 'マイナンバーのメニュー' }).getByRole('link', { name: 'IT担当者の許可' }).click()
  await m.page.getByRole('heading', { level: 1, name: 'IT担当者の許可' }).waitFor()
  await m.page.getByText('許可はありません。').waitFor()
  await m.page.getByLabel(/^ログイン名/).fill('suzuki')
  await m.page.getByLabel(/^理由/).fill('サーバーの保守作業のため')
  await m.page.getByLabel(/^期限/).fill('2027-04-01T18:00')
  await m.page.getByRole('button', { name: '許可する' }).click()
  await m.page.getByText('suzuki に許可しました。').waitFor()
  const grant = m.page.locator('.mn-grants tbody tr', { hasText: 'suzuki' })
  await grant.getByText('有効', { exact: true }).waitFor()
  assert.match(await grant.innerText(), /2027\/04\/01 18:00/)

  // …and the system administrator sees the masked list, never a number, no 表示 button.
  await s.page.reload()
  await s.page.getByRole('button', { name: '一覧を開く' }).click()
  const itRow = s.page.locator('.mn-subjects tbody tr', { hasText: '国税庁' })
  await itRow.waitFor()
  assert.match(await itRow.innerText(), /\*{9}0002/)
  await itRow.getByRole('link', { name: '国税庁' }).click()
  await s.page.getByRole('heading', { level: 1, name: '対象者：国税庁' }).waitFor()
  assert.equal(await s.page.getByRole('button', { name: '番号を表示' }).count(), 0, 'no 表示 for IT staff')
  await assertNoNumber(s.page, 'IT staff')
  s.check()
  await s.context.close()

  // The grant is revoked.
  await grant.getByRole('button', { name: /^取り消す/ }).click()
  await m.page.getByRole('dialog', { name: '許可の取消し' }).getByRole('button', { name: '取り消す' }).click()
  await m.page.getByText('許可を取り消しました。').waitFor()
  await grant.getByText('取消済み', { exact: true }).waitFor()
  m.check()
  await m.context.close()

  // ---- the handler's list: the subject is deleted ----
  await hnav.getByRole('link', { name: '対象者', exact: true }).click()
  await h.page.getByRole('heading', { level: 1, name: 'マイナンバー対象者' }).waitFor()
  const deleted = h.page.locator(`.mn-subjects tbody tr[data-subject="${subjectId}"]`)
  await deleted.waitFor()
  assert.equal(await deleted.getAttribute('data-state'), 'deleted')
  assert.match(await deleted.innerText(), /削除済み/)
  await assertNoNumber(h.page, 'after deletion')
  for (const line of hConsole) {
    assert.doesNotMatch(line, anyForm(NUMBER), 'no number in the console')
    assert.doesNotMatch(line, anyForm(CORPORATE), 'no number in the console')
  }
  h.check()
  await h.context.close()

  // ---- the auditor: masked numbers only, no 表示 button, no registering ----
  const a = await openPage(browser)
  await a.page.goto(`${server.url}/#/mynumber`)
  await signIn(a.page, auditor, clock, a.allowHttp)
  await a.page.getByRole('heading', { level: 1, name: 'マイナンバー対象者' }).waitFor()
  const anav = a.page.getByRole('navigation', { name: 'マイナンバーのメニュー' })
  assert.deepEqual(await anav.getByRole('link').allInnerTexts(), ['対象者', '本人からの請求', '取扱記録簿', '取扱いの案内・誤受領の報告'])
  assert.equal(await a.page.getByRole('link', { name: '対象者を登録' }).count(), 0)
  const auditRow = a.page.locator('.mn-subjects tbody tr', { hasText: '国税庁' })
  await auditRow.waitFor()
  assert.match(await auditRow.innerText(), /\*{9}0002/)
  await assertNoNumber(a.page, 'auditor list')
  await auditRow.getByRole('link', { name: '国税庁' }).click()
  await a.page.getByRole('heading', { level: 1, name: '対象者：国税庁' }).waitFor()
  assert.equal(await a.page.locator('.mn-masked').innerText(), '*********0002')
  assert.equal(await a.page.getByRole('button', { name: '番号を表示' }).count(), 0, 'no 表示 for the auditor')
  assert.equal(await a.page.getByRole('button', { name: '削除を申請' }).count(), 0)
  await assertNoNumber(a.page, 'auditor subject')
  // 取扱記録簿: the collections, the use (with its purpose) and the deletion; never a number.
  await anav.getByRole('link', { name: '取扱記録簿' }).click()
  await a.page.getByRole('heading', { level: 1, name: '特定個人情報取扱記録簿' }).waitFor()
  const records = a.page.locator('.mn-records tbody tr')
  await records.first().waitFor()
  const kinds = await records.locator('td:nth-child(3)').allInnerTexts()
  assert.ok(kinds.includes('取得') && kinds.includes('利用'), `the handling record: ${kinds}`)
  assert.match(await a.page.locator('.mn-records tbody tr[data-action="use"]').first().innerText(), /源泉徴収票作成事務/)
  await assertNoNumber(a.page, 'handling record')
  await a.page.mouse.click(1, 799)
  await a.page.screenshot({ path: shot('mynumber-records'), fullPage: true })
  // English on request.
  await a.page.getByRole('radio', { name: 'English' }).click()
  await a.page.getByRole('heading', { level: 1, name: 'Handling record of specific personal information' }).waitFor()
  assert.deepEqual(await a.page.getByRole('navigation', { name: 'My Number menu' }).getByRole('link').allInnerTexts(), [
    'Subjects',
    'Requests from individuals',
    'Handling record',
    'Guide and reporting a mistake',
  ])
  await a.page.getByRole('navigation', { name: 'My Number menu' }).getByRole('link', { name: 'Subjects' }).click()
  await a.page.getByRole('heading', { level: 1, name: 'My Number subjects' }).waitFor()
  await a.page.locator('.mn-subjects thead th', { hasText: 'Retention end' }).waitFor()
  assert.deepEqual(await a.page.locator('.mn-subjects thead th').allInnerTexts(), ['ID', 'Kind', 'Name', 'Name in kana', 'My Number', 'Purposes of use', 'State', 'Retention end'])
  await a.page.locator('.mn-subjects tbody tr', { hasText: '国税庁' }).getByText('Payment records for partners').waitFor()
  await a.page.mouse.click(1, 799)
  await a.page.screenshot({ path: shot('mynumber-list-en'), fullPage: true })
  await a.page.getByRole('radio', { name: '日本語' }).click()
  a.check()
  await a.context.close()
})
