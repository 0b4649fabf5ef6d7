// Requests whose approval acts, in the browser (docs/internals/approvals.md, "Effects"), against the
// real `mamori serve` with a movable clock. A department head asks for an account for a new person
// through 申請・承認 → 新しい申請 (the type's regulation and approvers shown; a forbidden login
// refused next to its field); the CEO approves it from 承認待ち and sees the one-time password once
// (gone after a reload, never in the request); the new person signs in with it and must change it
// first. Then IT staff (sysadmin) ask for access to the My Number list (an end past
// [mynumber] it_access_max refused next to its field) and the mynumber_manager's approval gives the
// grant. Last, a My Number deletion asked on the vault's route waits in the manager's inbox; its
// page links the subject (never a digit of the number) and approving it there erases the number.
// Japanese throughout; no console error, no CSP violation, no unexpected HTTP error.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launchBrowser } from '../lib/mamori.mjs'
import { world } from '../api/world.mjs'
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
/** A form field's accessible name: its label, then perhaps the 必須 mark. */
const named = (label) => new RegExp(`^${esc(label)}\\s*(必須)?$`)
/** "2027-04-01T18:00" in Japan time, as a datetime-local input takes it. */
const japanInput = (ms) => new Date(ms + 9 * 3600e3).toISOString().slice(0, 16)

/**
 * Sends the form expecting a 422 on `field`: its Japanese message sits next to that input (which is
 * marked invalid, described by it and focused). Returns the message.
 */
async function refusedAt(p, form, field, input) {
  p.allowHttp(422, 'POST', '/api/approvals')
  const [refused] = await Promise.all([
    p.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/approvals'),
    form.getByRole('button', { name: '申請する' }).click(),
  ])
  assert.equal(refused.status(), 422)
  const problem = await refused.json()
  assert.equal(problem.errors[0].field, field, JSON.stringify(problem))
  const message = problem.errors[0].message_ja
  assert.ok(message, 'a Japanese message')
  await form.locator('.form-error-summary').waitFor()
  await p.page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await input.elementHandle())
  const described = await input.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  )
  assert.ok(described.includes(message), `described by its error: ${described}`)
  assert.ok(await input.evaluate((el) => el === document.activeElement), 'focus on the refused field')
  return message
}

/** Signs in `who` on a fresh page and opens 申請・承認. */
async function openApprovals(server, who, clock) {
  const p = await openPage(browser)
  await p.page.goto(`${server.url}/`)
  await signIn(p.page, who, clock, p.allowHttp)
  await p.page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor()
  await p.page.getByRole('navigation').getByRole('link', { name: '申請・承認' }).click()
  await p.page.getByRole('heading', { level: 1, name: '申請・承認' }).waitFor()
  return p
}

/** From the inbox, opens request `id` and approves it with a comment. */
async function approveFromInbox(p, id, comment) {
  const main = p.page.getByRole('main')
  const row = main.locator(`.approvals-table[data-box="inbox"] tr[data-id="${id}"]`)
  await row.waitFor()
  await row.getByRole('link').click()
  await p.page.waitForURL(new RegExp(`#/approvals/${id}$`))
  await main.getByRole('textbox', { name: 'コメント' }).fill(comment)
  await main.getByRole('button', { name: '承認', exact: true }).click()
  await main.locator('.decisions-table tr[data-decision="approved"]').waitFor()
}

test('an account asked for through the form is issued on the CEO\'s approval; the one-time password shows once and works', async () => {
  const w = await world(['dept_head', 'ceo'])
  worlds.push(w)
  const { server, clock } = w
  const { dept_head, ceo, officer } = w.who
  let r = await officer.c.post('/api/people', { employee_no: 'N0100', name: '新入 社員', name_kana: 'シンニュウ シャイン', employment_type: 'regular' })
  assert.equal(r.status, 201, r.text)
  const person = r.body.id

  // ---- the department head: 新しい申請, アカウント発行 ----
  const d = await openApprovals(server, dept_head, clock)
  const dm = d.page.getByRole('main')
  await dm.getByRole('link', { name: '新しい申請' }).click()
  await d.page.getByRole('heading', { level: 1, name: '新しい申請' }).waitFor()
  const form = d.page.getByRole('form', { name: '新しい申請' })
  const type = form.getByLabel(named('申請の種類'))
  // take-outs and My Number deletions are requested by their own pages, not here
  await type.locator('option', { hasText: 'アカウント発行' }).waitFor({ state: 'attached' }) // the types load after the form
  const offered = await type.locator('option').allInnerTexts()
  assert.ok(offered.includes('アカウント発行') && offered.includes('IT担当者の特定個人情報へのアクセス'), offered.join(','))
  assert.ok(!offered.includes('持出し') && !offered.includes('特定個人情報の削除'), offered.join(','))
  await type.selectOption({ label: 'アカウント発行' })
  // the requester sees where the rule comes from and who decides
  const route = form.locator('.approval-route[data-type="account_issuance"]')
  await route.waitFor()
  assert.match(await route.innerText(), /004 ch5 §3/)
  assert.match(await route.innerText(), /代表取締役 または 情報セキュリティ責任者/)
  await form.getByLabel(named('対象')).fill('新入社員のアカウント')
  await form.getByLabel(named('件名')).fill('4月入社 新入 社員')
  await form.getByLabel(named('内容')).fill('営業部に配属。メールと台帳の閲覧に使います。')
  await form.getByRole('combobox', { name: named('従業員') }).selectOption(String(person))
  assert.ok(await form.getByRole('checkbox', { name: '従業員' }).isChecked(), 'a general account by default')
  // a login the profile forbids: refused next to the login field, which takes the focus
  const login = form.getByLabel(named('ログイン名'))
  await login.fill('admin')
  await refusedAt(d, form, 'login', login)
  await d.page.screenshot({ path: shot('approval-new-error-ja'), fullPage: true })
  await login.fill('shinnyu')
  await form.getByRole('button', { name: '申請する' }).click()
  await d.page.waitForURL(/#\/approvals\/\d+$/)
  const id = Number(d.page.url().match(/\/(\d+)$/)[1])
  await dm.getByText('申請しました。承認者の決裁を待っています。').waitFor()
  // the request page shows what its approval will do
  const payload = dm.locator('.payload-table')
  await payload.waitFor()
  assert.match(await payload.locator('tr[data-field="person_id"]').innerText(), /新入 社員（N0100）/)
  assert.match(await payload.locator('tr[data-field="login"]').innerText(), /shinnyu/)
  assert.match(await payload.locator('tr[data-field="roles"]').innerText(), /従業員/)
  await dm.getByText('承認すると、このアカウントが発行されます。', { exact: false }).waitFor()
  assert.equal(await dm.getByRole('button', { name: '承認', exact: true }).count(), 0, 'the requester does not decide')
  d.check()
  await d.context.close()
  r = await officer.c.get('/api/accounts')
  assert.ok(!r.body.items.some((a) => a.login === 'shinnyu'), 'no account before the approval')

  // ---- the CEO approves from 承認待ち and sees the one-time password, once ----
  clock.advance(60)
  const c = await openApprovals(server, ceo, clock)
  const cm = c.page.getByRole('main')
  await approveFromInbox(c, id, '発行を承認します。')
  const panel = cm.locator('.approval-one-time[data-login="shinnyu"]')
  await panel.waitFor()
  const panelText = await panel.innerText()
  assert.match(panelText, /アカウントを発行しました/)
  assert.match(panelText, /今回かぎり/)
  assert.match(panelText, /ほかの人に知られない方法/)
  assert.equal(await panel.evaluate((el) => el === document.activeElement), true, 'focus moves to the password')
  const password = (await panel.locator('code.one-time-password').innerText()).trim()
  assert.ok(password.length >= 12, password)
  assert.equal(await cm.locator('.approval-state').first().getAttribute('data-state'), 'approved')
  await c.page.screenshot({ path: shot('approval-one-time-ja'), fullPage: true })
  // not shown again: the page read afresh holds no password
  await c.page.reload()
  await c.page.getByRole('heading', { level: 1, name: new RegExp(`^申請 #${id}`) }).waitFor()
  await cm.locator('.payload-table').waitFor()
  assert.equal(await cm.locator('.approval-one-time').count(), 0)
  assert.ok(!(await c.page.content()).includes(password), 'the password is not in the request')
  c.check()
  await c.context.close()

  // ---- the new person signs in with it and must change it first ----
  clock.advance(60)
  const n = await openPage(browser)
  await n.page.goto(`${server.url}/`)
  await signIn(n.page, { login: 'shinnyu', password }, clock, n.allowHttp)
  await n.page.getByRole('heading', { level: 1, name: 'パスワードの変更' }).waitFor()
  assert.match(await n.page.getByRole('main').innerText(), /初回用のパスワードでログインしました/)
  n.check()
  await n.context.close()
})

test('IT staff ask for the My Number list through the form; the manager\'s approval gives the grant', async () => {
  const w = await world({ sysadmin: ['sysadmin'], manager: ['mynumber_manager'] })
  worlds.push(w)
  const { server, clock } = w
  const { sysadmin, manager } = w.who
  let r = await sysadmin.c.get('/api/mynumber/subjects')
  assert.equal(r.status, 403, 'no access without a grant')

  // ---- the sysadmin asks ----
  const s = await openApprovals(server, sysadmin, clock)
  const sm = s.page.getByRole('main')
  await sm.getByRole('link', { name: '新しい申請' }).click()
  const form = s.page.getByRole('form', { name: '新しい申請' })
  await form.getByLabel(named('申請の種類')).selectOption({ label: 'IT担当者の特定個人情報へのアクセス' })
  const route = form.locator('.approval-route[data-type="mynumber_it_access"]')
  await route.waitFor()
  assert.match(await route.innerText(), /003 §7\.1/)
  assert.match(await route.innerText(), /事務取扱責任者/)
  await form.getByLabel(named('対象')).fill('特定個人情報ファイル')
  await form.getByLabel(named('件名')).fill('サーバ移行後の確認')
  await form.getByLabel(named('理由')).fill('サーバ移行後にマスク表示の一覧が正しく出ることを確認する')
  // longer than [mynumber] it_access_max (1 day): refused next to 終了日時
  const ends = form.getByLabel(named('終了日時'))
  await ends.fill(japanInput(clock.ms + 2 * 86400e3))
  await refusedAt(s, form, 'ends_at', ends)
  const endsAt = clock.ms + 8 * 3600e3
  await ends.fill(japanInput(endsAt))
  await form.getByRole('button', { name: '申請する' }).click()
  await s.page.waitForURL(/#\/approvals\/\d+$/)
  const id = Number(s.page.url().match(/\/(\d+)$/)[1])
  const payload = sm.locator('.payload-table')
  await payload.waitFor()
  assert.match(await payload.locator('tr[data-field="login"]').innerText(), new RegExp(sysadmin.login), 'for themselves by default')
  assert.match(await payload.locator('tr[data-field="reason"]').innerText(), /サーバ移行後/)
  assert.match(await payload.locator('tr[data-field="ends_at"]').innerText(), /2027\/04\/01 1[78]:\d{2}/)
  s.check()
  await s.context.close()

  // ---- the manager approves: the grant is in force ----
  clock.advance(60)
  const m = await openApprovals(server, manager, clock)
  await approveFromInbox(m, id, '8時間に限り許可します。')
  await m.page.getByRole('main').getByText(new RegExp(`承認しました。${sysadmin.login} は 2027/04/01 1[78]:\\d{2} までマイナンバーの一覧を見られます。`)).waitFor()
  m.check()
  await m.context.close()
  await w.relogin('sysadmin')
  r = await w.who.sysadmin.c.get('/api/mynumber/subjects')
  assert.equal(r.status, 200, 'the grant is in force')
  r = await manager.c.get('/api/mynumber/grants')
  assert.deepEqual(r.body.items.map((g) => [g.login, g.granted_by, g.approval_id]), [[sysadmin.login, manager.login, id]])
})

test('a My Number deletion waits in the manager\'s inbox: its page links the subject, and approving it there erases the number', async () => {
  const w = await world({ handler: ['mynumber_handler'], manager: ['mynumber_manager'], employee: ['employee'] })
  worlds.push(w)
  const { server, clock } = w
  const { handler, manager } = w.who
  let r = await manager.c.put(`/api/mynumber/scopes/${handler.id}`, { purposes: ['withholding'] })
  assert.equal(r.status, 200, r.text)
  r = await handler.c.post('/api/mynumber/subjects', {
    kind: 'employee',
    person_id: w.who.employee.person,
    name: '削除 対象',
    name_kana: 'サクジョ タイショウ',
    purposes: ['withholding'],
    number: '123456789018',
    identity_check: { number_document: '個人番号カード', identity_document: '個人番号カード' },
  })
  assert.equal(r.status, 201, r.text)
  const subject = r.body.id
  // asked on the vault's route, with the double confirmation (the form does not offer it)
  r = await handler.c.post(`/api/mynumber/subjects/${subject}/deletion`, { confirm_id: subject, confirm_last4: '9018', reason: '保存期間の満了' })
  assert.equal(r.status, 201, r.text)
  const id = r.body.approval_id

  clock.advance(60)
  const m = await openApprovals(server, manager, clock)
  const mm = m.page.getByRole('main')
  await mm.locator(`.approvals-table[data-box="inbox"] tr[data-id="${id}"]`).getByRole('link').click()
  await m.page.waitForURL(new RegExp(`#/approvals/${id}$`))
  const row = mm.locator(`.payload-table tr[data-field="subject_id"]`)
  await row.waitFor()
  assert.equal(await row.getByRole('link', { name: `#${subject}` }).getAttribute('href'), `#/mynumber/subjects/${subject}`)
  await mm.getByText('承認すると、この対象者の個人番号は復元できない形で削除されます。', { exact: false }).waitFor()
  assert.ok(!(await m.page.content()).includes('9018'), 'no digit of the number on the request page')
  await mm.getByRole('textbox', { name: 'コメント' }).fill('保存期間の満了を確認しました。')
  await mm.getByRole('button', { name: '承認', exact: true }).click()
  await mm.getByText(`承認しました。対象者 #${subject} の個人番号を削除しました。`).waitFor()
  m.check()
  await m.context.close()
  r = await manager.c.get(`/api/mynumber/subjects/${subject}`)
  assert.equal(r.body.state, 'deleted')
})
