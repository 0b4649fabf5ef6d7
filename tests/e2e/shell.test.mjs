// The browser shell against the real `mamori serve`: Japanese by default,
// English on request (remembered), dashboard shows /healthz, keyboard and
// landmarks work, and nothing breaks under the server's strict CSP.
// The pages need a session: the tests sign in as a general account (no second factor).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launchBrowser } from '../lib/mamori.mjs'
import { openPage as openRecordedPage, shot, signIn, startWithClock } from './browser.mjs'

const TITLE_JA = 'mamori — 情報セキュリティ管理'
const TITLE_EN = 'mamori — Information security management'
const NAV_JA = ['ダッシュボード', 'やること', '申請・承認', '台帳', 'マイナンバー']
const NAV_EN = ['Dashboard', 'To do', 'Requests & approvals', 'Ledgers', 'My Number']

let server, browser, health, env

before(async () => {
  env = await startWithClock({ ready: true })
  server = env.server
  health = await (await fetch(`${server.url}/healthz`)).json()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  if (server) {
    const code = await server.stop()
    assert.equal(code, 0, `mamori serve exited with ${code} after SIGTERM:\n${server.stderr}`)
  }
})

/** A page (problems recorded, see browser.mjs) signed in as the general account. */
async function openPage(path = '/') {
  const p = await openRecordedPage(browser)
  await p.page.goto(`${server.url}${path}`)
  await signIn(p.page, env.employee, env.clock, p.allowHttp)
  await p.page.getByRole('main').getByRole('heading', { level: 1 }).waitFor()
  return p
}

/** The visible labels of the main navigation. */
const navLabels = (page) => page.getByRole('navigation').getByRole('link').allInnerTexts()

test('the server sends the CSP the UI is built for', async () => {
  const res = await fetch(`${server.url}/`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/)
  const csp = res.headers.get('content-security-policy') ?? ''
  assert.match(csp, /script-src 'self'(;|$)/)
  assert.match(csp, /style-src 'self'(;|$)/)
  const html = await res.text()
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'inline <script> in index.html')
  assert.doesNotMatch(html, /<style|\sstyle=/, 'inline style in index.html')
})

test('Japanese shell with landmarks, dashboard status and skip link', async () => {
  const { page, context, check } = await openPage()
  assert.equal(await page.title(), TITLE_JA)
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja')

  // Landmarks: banner (header), navigation, main.
  await page.getByRole('banner').getByText('mamori（守り）').waitFor()
  assert.deepEqual(await navLabels(page), NAV_JA)
  assert.equal(await page.getByRole('main').count(), 1)
  assert.equal(await page.getByRole('link', { name: 'ダッシュボード' }).getAttribute('aria-current'), 'page')

  // The dashboard shows what GET /healthz says.
  const status = page.locator('.health[data-status]')
  await status.waitFor()
  assert.equal(await status.getAttribute('data-status'), 'ok')
  assert.match(await status.innerText(), /正常/)
  assert.equal(await page.locator('.health-version').innerText(), health.version)
  // Dates as 2026/04/01.
  assert.match(await page.getByRole('main').innerText(), /本日：\d{4}\/\d{2}\/\d{2}（令和\d+年）/)

  // Keyboard: on a fresh load (the session survives a reload of the tab), the skip link is the
  // first Tab stop, and it moves focus to main.
  await page.reload()
  await page.locator('.health[data-status="ok"]').waitFor()
  await page.keyboard.press('Tab')
  assert.deepEqual(await page.evaluate(() => [document.activeElement?.className, document.activeElement?.textContent]), [
    'skip-link',
    '本文へ移動',
  ])
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')
  await page.mouse.click(1, 799) // drop focus so the screenshot shows no ring
  await page.screenshot({ path: shot('shell-ja'), fullPage: true })
  check()
  await context.close()
})

test('navigation works from the keyboard; やること needs its permission; 申請・承認 opens', async () => {
  const { page, context, check } = await openPage()
  await page.locator('.health[data-status]').waitFor()
  // Tab past the skip link, the brand link, the language switch and the account tools to reach the nav.
  const duties = page.getByRole('link', { name: 'やること' })
  for (let i = 0; i < 12 && !(await duties.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab')
  assert.ok(await duties.evaluate((el) => el === document.activeElement), 'Tab never reached やること')
  // The focus ring is visible (an outline, not none).
  assert.notEqual(await duties.evaluate((el) => getComputedStyle(el).outlineStyle), 'none')
  await page.keyboard.press('Enter')
  await page.waitForURL(/#\/duties$/)
  await page.getByRole('heading', { level: 1, name: 'やること' }).waitFor()
  // the general account may not read the duties calendar (duties.read)
  assert.match(await page.getByRole('main').innerText(), /権限がありません/)
  assert.equal(await duties.getAttribute('aria-current'), 'page')
  // 申請・承認 opens on its inbox (tests/e2e/approvals.test.mjs covers the rest)
  await page.getByRole('link', { name: '申請・承認' }).click()
  await page.getByRole('heading', { level: 1, name: '申請・承認' }).waitFor()
  await page.getByText('承認待ちの申請はありません。').waitFor()

  // A deep link opens the page directly; the server only serves / for it.
  await page.goto(`${server.url}/#/mynumber`)
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'マイナンバー')
  check()
  await context.close()
})

test('switching to English changes labels, lang and title, and survives a reload', async () => {
  const { page, context, check } = await openPage()
  await page.getByRole('radio', { name: 'English' }).click()
  await page.waitForFunction(() => document.documentElement.lang === 'en')
  assert.equal(await page.title(), TITLE_EN)
  assert.deepEqual(await navLabels(page), NAV_EN)

  await page.reload()
  await page.locator('.health[data-status="ok"]').waitFor()
  assert.equal(await page.locator('html').getAttribute('lang'), 'en')
  assert.equal(await page.title(), TITLE_EN)
  assert.deepEqual(await navLabels(page), NAV_EN)
  assert.match(await page.locator('.health').innerText(), /\bOK\b/)
  assert.match(await page.getByRole('main').innerText(), /Today: \d{4}\/\d{2}\/\d{2}/)
  await page.screenshot({ path: shot('shell-en'), fullPage: true })

  // And back to Japanese.
  await page.getByRole('radio', { name: '日本語' }).click()
  await page.waitForFunction(() => document.documentElement.lang === 'ja')
  assert.deepEqual(await navLabels(page), NAV_JA)
  check()
  await context.close()
})
