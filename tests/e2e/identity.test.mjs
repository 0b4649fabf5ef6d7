// Identity and access in the browser, against the real `mamori serve` with a movable clock:
// the officer's first login (forced password change with live rules, TOTP enrolment, recovery
// codes), sign-out, sign-in with the second factor, the idle-timeout warning and the sign-out
// after it; then the administration pages: a person (with a field error next to the field) and an
// account whose one-time password is shown once. Japanese throughout; no console error, no CSP
// violation, no unexpected HTTP error.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launchBrowser } from '../lib/mamori.mjs'
import { Client, openPage, shot, signIn, startWithClock, totp } from './browser.mjs'

const OFFICER_PASSWORD = 'Qm7#vK2p!Xw9'
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

/** The marks of the password rules: {rule: 'true' | 'false' | 'unknown'}. */
async function ruleMarks(page) {
  return Object.fromEntries(
    await page.locator('.rule').evaluateAll((els) => els.map((el) => [el.dataset.rule, el.dataset.met])),
  )
}

test('first login, forced password change, TOTP enrolment, sign-in with the code, idle timeout', async () => {
  const env = await startWithClock()
  servers.push(env.server)
  const { server, clock, officer } = env
  const { page, context, check, allowHttp } = await openPage(browser, { clockAt: clock.ms })
  await page.goto(`${server.url}/`)

  // Signed out: the sign-in page, without the navigation.
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'ログイン')
  assert.equal(await page.getByRole('navigation').count(), 0)
  await page.screenshot({ path: shot('identity-login'), fullPage: true })
  await signIn(page, officer, clock, allowHttp)

  // The one-time password forces a change first; each rule is marked as the officer types.
  await page.getByRole('heading', { level: 1, name: 'パスワードの変更' }).waitFor()
  assert.match(await page.getByRole('main').innerText(), /初回用のパスワードでログインしました/)
  assert.equal(await page.getByRole('navigation').count(), 0, 'nothing else is reachable yet')
  const rules = await ruleMarks(page)
  assert.ok(Object.keys(rules).length >= 3, `the rules are listed before typing: ${JSON.stringify(rules)}`)
  assert.ok(Object.values(rules).every((m) => m === 'unknown'))
  await page.getByLabel('現在のパスワード').fill(officer.password)
  const next = page.getByLabel('新しいパスワード', { exact: true })
  await next.fill('password')
  await page.locator('.rule[data-rule="min_length"][data-met="false"]').waitFor()
  const weak = await ruleMarks(page)
  assert.equal(weak.min_length, 'false')
  assert.equal(weak.classes, 'false')
  assert.match(await page.locator('.rule[data-rule="min_length"]').innerText(), /✗/)
  // Submitted anyway: the server's errors sit next to the field, which gets focus.
  await page.getByLabel('新しいパスワード（確認）').fill('password')
  allowHttp(422, 'POST', '/api/session/password')
  await page.getByRole('button', { name: 'パスワードを変更' }).click()
  await page.getByText('条件を満たしていません：12文字以上').waitFor()
  assert.equal(await next.getAttribute('aria-invalid'), 'true')
  assert.ok(await next.evaluate((el) => el === document.activeElement), 'focus on the new password')
  await page.screenshot({ path: shot('identity-password-weak'), fullPage: true })
  await next.fill(OFFICER_PASSWORD)
  await page.waitForFunction(() => {
    const marks = [...document.querySelectorAll('.rule')].map((el) => el.dataset.met)
    return marks.length > 0 && marks.every((m) => m === 'true')
  })
  assert.match(await page.locator('.rule[data-rule="min_length"]').innerText(), /✓/)
  // The confirmation must match (checked in the page, next to the field).
  await page.getByLabel('新しいパスワード（確認）').fill(OFFICER_PASSWORD + 'x')
  await page.getByRole('button', { name: 'パスワードを変更' }).click()
  const confirm = page.getByLabel('新しいパスワード（確認）')
  await page.getByText('新しいパスワードと一致しません').waitFor()
  assert.equal(await confirm.getAttribute('aria-invalid'), 'true')
  assert.ok(await confirm.evaluate((el) => el === document.activeElement), 'focus on the invalid field')
  await page.screenshot({ path: shot('identity-password-strong'), fullPage: true })
  await confirm.fill(OFFICER_PASSWORD)
  await page.getByRole('button', { name: 'パスワードを変更' }).click()

  // A privileged account enrols the second factor next: QR code, the key in groups of four.
  await page.getByRole('heading', { level: 1, name: '二要素認証の登録' }).waitFor()
  const qr = page.getByRole('img', { name: '二要素認証の登録用 QR コード' })
  await qr.waitFor()
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code is drawn')
  const grouped = await page.locator('.mfa-secret').innerText()
  assert.match(grouped, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, `the key in groups of four: ${grouped}`)
  const secret = grouped.replace(/\s+/g, '')
  await page.screenshot({ path: shot('identity-mfa'), fullPage: true })
  await page.getByLabel('確認コード（6桁）').fill(totp(secret, clock))
  await page.getByRole('button', { name: '登録する' }).click()

  // Ten recovery codes, shown once; then the dashboard.
  await page.getByRole('heading', { level: 1, name: 'リカバリーコード' }).waitFor()
  const codes = await page.locator('.recovery-codes li').allInnerTexts()
  assert.equal(codes.length, 10)
  assert.equal(new Set(codes).size, 10)
  assert.ok(await page.getByRole('button', { name: '印刷' }).isVisible())
  assert.ok(await page.getByRole('button', { name: 'コピー' }).isVisible())
  await page.screenshot({ path: shot('identity-recovery'), fullPage: true })
  await page.getByRole('button', { name: '保存しました' }).click()
  await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor()
  const nav = page.getByRole('navigation')
  await nav.getByRole('link', { name: 'アカウント' }).waitFor() // the admin links follow the session
  assert.deepEqual(await nav.getByRole('link').allInnerTexts(), ['ダッシュボード', 'やること', '申請・承認', '台帳', 'マイナンバー', '従業員', 'アカウント'])
  assert.match(await page.getByRole('banner').innerText(), /ログイン中\s*officer/)
  await page.locator('.health[data-status="ok"]').waitFor()
  await page.mouse.click(1, 799) // no focus ring in the screenshot
  await page.screenshot({ path: shot('identity-dashboard'), fullPage: true })

  // Sign out; sign in again: the password, then the code of the next 30-second step.
  await page.getByRole('button', { name: 'ログアウト' }).click()
  await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor()
  await page.getByText('ログアウトしました。').waitFor()
  await signIn(page, { login: officer.login, password: OFFICER_PASSWORD, secret }, clock, allowHttp)
  await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor()
  await page.locator('.health[data-status="ok"]').waitFor()

  // Idle: 4 minutes without a call → the warning (ipa-sme: 5 minutes, warned 1 minute before). Every
  // answer notes activity, so the dashboard's last answer must be in first (a slow one closes the warning).
  await page.waitForLoadState('networkidle')
  await page.clock.fastForward('04:05')
  const dialog = page.getByRole('dialog', { name: 'まもなく自動的にログアウトします' })
  await dialog.waitFor()
  assert.match(await dialog.innerText(), /あと \d+ 秒でログアウトします/)
  const keep = dialog.getByRole('button', { name: '操作を続ける' })
  assert.ok(await keep.isVisible())
  await page.screenshot({ path: shot('identity-idle-warning') })
  // 操作を続ける notes activity: the dialog goes, the count starts again.
  await keep.click()
  await dialog.waitFor({ state: 'detached' })
  await page.clock.fastForward('04:05')
  await dialog.waitFor()
  // Nobody answers: 5 minutes pass on the server too; at the end the server says idle_timeout.
  clock.advance(5 * 60)
  allowHttp(401, 'GET', '/api/session')
  await page.clock.fastForward('01:05')
  await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor()
  await page.getByText('一定時間操作がなかったため、ログアウトしました').waitFor()
  assert.equal(await page.getByRole('dialog').count(), 0)
  await page.screenshot({ path: shot('identity-idle-signed-out'), fullPage: true })
  check()
  await context.close()
})

test('administration: a person with a field error next to the field, an account with its one-time password shown once', async () => {
  const env = await startWithClock({ ready: true })
  servers.push(env.server)
  const { server, clock, officer } = env
  const { page, context, check, allowHttp } = await openPage(browser)
  await page.goto(`${server.url}/#/admin/people`)
  await signIn(page, officer, clock, allowHttp)

  // 従業員: the list (one person so far), then the form.
  await page.getByRole('heading', { level: 1, name: '従業員' }).waitFor()
  const navPeople = page.getByRole('navigation').getByRole('link', { name: '従業員' })
  assert.equal(await navPeople.getAttribute('aria-current'), 'page')
  await page.locator('.people-table thead th').first().waitFor() // the list loads after the heading
  const headers = await page.locator('.people-table thead th').allInnerTexts()
  assert.deepEqual(headers.slice(0, 8), ['社員番号', '氏名', 'フリガナ', '部署', '雇用形態', '入社日', '退職日', 'アカウント'])
  await page.getByRole('link', { name: '従業員を追加' }).click()
  await page.getByRole('heading', { level: 1, name: '従業員の追加' }).waitFor()
  for (const label of ['社員番号', '氏名', 'フリガナ', '部署', '雇用形態', '入社日', '退職日', '秘密保持契約日', '電話番号', '生年月日', 'メールアドレス'])
    assert.equal(await page.getByLabel(new RegExp(`^${label}`)).count(), 1, `a labelled field ${label}`)
  await page.getByLabel('社員番号').fill('E-0102')
  await page.getByLabel('氏名').fill('山田 太郎')
  await page.getByLabel('フリガナ').fill('Yamada Taro') // not kana
  await page.getByLabel('部署').fill('総務部')
  await page.getByLabel('雇用形態').selectOption({ label: '正社員' })
  await page.getByLabel('入社日').fill('2026-04-01')
  await page.getByLabel('メールアドレス').fill('yamada@example.jp')
  allowHttp(422, 'POST', '/api/people')
  await page.getByRole('button', { name: '保存' }).click()

  // The server's error sits next to フリガナ, which is marked invalid, described by it, and focused.
  const kana = page.getByLabel('フリガナ')
  await page.getByText('カタカナまたはひらがなで入力してください').waitFor()
  assert.equal(await kana.getAttribute('aria-invalid'), 'true')
  const described = await kana.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  )
  assert.match(described, /カタカナまたはひらがなで入力してください/)
  assert.ok(await kana.evaluate((el) => el === document.activeElement), 'focus on the first invalid field')
  assert.equal(await page.getByLabel('氏名').getAttribute('aria-invalid'), null)
  await page.screenshot({ path: shot('identity-person-error'), fullPage: true })
  await kana.fill('ヤマダ タロウ')
  await page.getByRole('button', { name: '保存' }).click()
  await page.getByRole('heading', { level: 1, name: '従業員' }).waitFor()
  await page.getByText('従業員を登録しました。').waitFor()
  const row = page.locator('.people-table tbody tr', { hasText: '山田 太郎' })
  assert.match(await row.innerText(), /E-0102\s+山田 太郎\s+ヤマダ タロウ\s+総務部\s+正社員\s+2026\/04\/01/)

  // Editing: the form comes filled in; only the changes are sent.
  await row.getByRole('link', { name: /編集/ }).click()
  await page.getByRole('heading', { level: 1, name: '従業員の編集' }).waitFor()
  assert.equal(await page.getByLabel('氏名').inputValue(), '山田 太郎')
  await page.getByLabel('部署').fill('情報システム部')
  await page.getByLabel('生年月日').fill('1985-04-01')
  await page.getByText('昭和60年4月1日').waitFor() // 和暦 next to the birthday
  await page.getByRole('button', { name: '保存' }).click()
  await page.getByText('従業員の情報を保存しました。').waitFor()
  assert.match(await row.innerText(), /情報システム部/)
  await page.mouse.click(1, 799)
  await page.screenshot({ path: shot('identity-people'), fullPage: true })

  // アカウント: issue one to 山田 太郎; the one-time password is shown once, in a dialog.
  await page.getByRole('navigation').getByRole('link', { name: 'アカウント' }).click()
  await page.getByRole('heading', { level: 1, name: 'アカウント' }).waitFor()
  await page.locator('.accounts-table tbody tr', { hasText: officer.login }).waitFor()
  assert.match(await page.locator('.accounts-table tbody tr', { hasText: officer.login }).innerText(), /（あなた）/)
  await page.getByRole('button', { name: 'アカウントを発行' }).click()
  const issue = page.getByRole('dialog', { name: 'アカウントを発行' })
  await issue.waitFor()
  await issue.getByRole('combobox', { name: /^従業員/ }).selectOption({ label: 'E-0102　山田 太郎（ヤマダ タロウ）' })
  await issue.getByRole('textbox', { name: /^ログイン名/ }).fill('yamada')
  assert.ok(await issue.getByRole('checkbox', { name: '従業員' }).isChecked(), 'employee by default')
  await issue.getByRole('checkbox', { name: /システム管理者/ }).check()
  await page.screenshot({ path: shot('identity-account-issue') })
  await issue.getByRole('button', { name: '発行する' }).click()
  const shown = page.getByRole('dialog', { name: '初回用パスワード' })
  await shown.waitFor()
  const oneTime = (await shown.locator('.one-time-password').innerText()).trim()
  assert.ok(oneTime.length >= 12, `a one-time password: ${oneTime}`)
  assert.match(await shown.innerText(), /二度と表示されません/)
  await page.screenshot({ path: shot('identity-account-password') })
  await shown.getByRole('button', { name: '閉じる' }).click()
  await shown.waitFor({ state: 'detached' })
  const yamada = page.locator('.accounts-table tbody tr', { hasText: 'yamada' })
  await yamada.waitFor()
  assert.match(await yamada.innerText(), /山田 太郎/)
  assert.match(await yamada.innerText(), /パスワード変更待ち/)
  assert.match(await yamada.innerText(), /システム管理者/)
  assert.doesNotMatch(await page.content(), new RegExp(oneTime.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'shown once')
  await page.mouse.click(1, 799)
  await page.screenshot({ path: shot('identity-accounts'), fullPage: true })

  // The one-time password works (and must be changed first).
  const y = new Client(server.url)
  const r = await y.login('yamada', oneTime)
  assert.equal(r.status, 201, r.text)
  assert.equal(r.body.account.must_change_password, true)

  // Row actions: パスワード再発行 shows a new one-time password once.
  await yamada.getByRole('button', { name: /操作/ }).click()
  await page.getByRole('menuitem', { name: 'パスワード再発行' }).or(page.getByRole('button', { name: 'パスワード再発行' })).click()
  const reset = page.getByRole('dialog', { name: 'パスワード再発行' })
  await reset.getByRole('button', { name: '再発行する' }).click()
  await shown.waitFor()
  const second = (await shown.locator('.one-time-password').innerText()).trim()
  assert.notEqual(second, oneTime)
  await shown.getByRole('button', { name: '閉じる' }).click()

  // ロック解除: five wrong passwords lock sato (general account) for an hour.
  for (let i = 0; i < 5; i++) assert.equal((await new Client(server.url).login('sato', 'wrong-password')).status, 401)
  await page.reload() // the tab keeps its session
  const sato = page.locator('.accounts-table tbody tr', { hasText: 'sato' })
  await sato.getByText('ロック中').waitFor()
  await sato.getByRole('button', { name: /操作/ }).click()
  await page.getByRole('menuitem', { name: 'ロック解除' }).or(page.getByRole('button', { name: 'ロック解除' })).click()
  await page.getByRole('dialog', { name: 'ロック解除' }).getByRole('button', { name: '解除する' }).click()
  await page.getByText('sato のロックを解除しました。').waitFor()
  await sato.getByText('有効').waitFor()

  // 無効化 asks for the reason (required: the error sits next to the field, which gets focus).
  await yamada.getByRole('button', { name: /操作/ }).click()
  await page.getByRole('menuitem', { name: '無効化' }).or(page.getByRole('button', { name: '無効化' })).click()
  const disable = page.getByRole('dialog', { name: '無効化' })
  await disable.getByRole('button', { name: '無効にする' }).click()
  const reason = disable.getByRole('textbox', { name: /無効にする理由/ })
  await disable.getByText('必須です').waitFor()
  assert.ok(await reason.evaluate((el) => el === document.activeElement), 'focus on the reason')
  await reason.fill('退職のため')
  await disable.getByRole('button', { name: '無効にする' }).click()
  await page.getByText('yamada を無効にしました。').waitFor()
  await yamada.getByText('無効').waitFor()

  // English on request.
  await page.getByRole('radio', { name: 'English' }).click()
  await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor()
  assert.deepEqual((await page.locator('.accounts-table thead th').allInnerTexts()).slice(0, 6), [
    'Login',
    'Name',
    'Roles',
    'Privileged',
    'State',
    'Second factor',
  ])
  assert.match(await yamada.innerText(), /System administrator, Employee\tPrivileged\tDisabled/)
  await page.screenshot({ path: shot('identity-accounts-en'), fullPage: true })
  await page.getByRole('radio', { name: '日本語' }).click()
  check()
  await context.close()
})
