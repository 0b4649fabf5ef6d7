// Hash routes (the server serves only / and /assets/*). Pure; see routes.test.ts.
import type { MessageKey } from './i18n'

export type Route =
  | { page: 'dashboard' | 'duties' | 'approvals' | 'ledgers' | 'mynumber' | 'password' | 'people' | 'personNew' | 'accounts' }
  | { page: 'personEdit'; id: number }

export type Page = Route['page']

/** The main navigation, by job. */
export const MAIN_NAV = [
  { page: 'dashboard', href: '#/dashboard', label: 'navDashboard' },
  { page: 'duties', href: '#/duties', label: 'navDuties' },
  { page: 'approvals', href: '#/approvals', label: 'navApprovals' },
  { page: 'ledgers', href: '#/ledgers', label: 'navLedgers' },
  { page: 'mynumber', href: '#/mynumber', label: 'navMyNumber' },
] as const satisfies readonly { page: Page; href: string; label: MessageKey }[]

/** 管理: shown to those with the permission. */
export const ADMIN_NAV = [
  { page: 'people', href: '#/admin/people', label: 'navPeople', permission: 'people.read', section: ['people', 'personNew', 'personEdit'] },
  { page: 'accounts', href: '#/admin/accounts', label: 'navAccounts', permission: 'accounts.read', section: ['accounts'] },
] as const satisfies readonly { page: Page; href: string; label: MessageKey; permission: string; section: readonly Page[] }[]

export function routeFromHash(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split(/[?]/)[0]
    .split('/')
    .filter((p) => p !== '')
  const [a, b, c] = parts
  if (a === 'admin') {
    if (b === 'people') {
      if (c === undefined) return { page: 'people' }
      if (c === 'new') return { page: 'personNew' }
      if (/^[1-9]\d{0,15}$/.test(c)) return { page: 'personEdit', id: Number(c) }
      return { page: 'people' }
    }
    if (b === 'accounts') return { page: 'accounts' }
    return { page: 'dashboard' }
  }
  const simple = ['dashboard', 'duties', 'approvals', 'ledgers', 'mynumber', 'password'] as const
  return { page: (simple as readonly string[]).includes(a) ? (a as (typeof simple)[number]) : 'dashboard' }
}

export function hashOf(r: Route): string {
  switch (r.page) {
    case 'people':
      return '#/admin/people'
    case 'personNew':
      return '#/admin/people/new'
    case 'personEdit':
      return `#/admin/people/${r.id}`
    case 'accounts':
      return '#/admin/accounts'
    default:
      return `#/${r.page}`
  }
}

/** The permission a page needs (besides being signed in); undefined: everyone. */
export function permissionFor(page: Page): string | undefined {
  switch (page) {
    case 'people':
      return 'people.read'
    case 'personNew':
    case 'personEdit':
      return 'people.write'
    case 'accounts':
      return 'accounts.read'
    default:
      return undefined
  }
}
