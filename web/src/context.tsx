// What every page needs: the language and its labels, the session, the permissions, the role
// catalogue, and a way to leave a short notice on the next page.
import { createContext, useContext } from 'react'
import type { Role, Session } from './auth'
import type { Lang, Messages } from './i18n'

/** A short message for a page; `text` is called at display time, so it follows the language. */
export type Notice = { text: (t: Messages) => string; tone: 'success' | 'info' | 'warning' | 'error'; hash: string }

export type AppContextValue = {
  t: Messages
  lang: Lang
  session: Session | null
  permissions: Set<string>
  roles: Role[]
  /** GET /api/session again (after a password change, second factor, or a 403 restricted). */
  refreshSession: () => Promise<void>
  /** Show `text` on the page at `hash` (default: the current one), then go there. */
  notify: (text: Notice['text'], tone?: Notice['tone'], hash?: string) => void
  notice: Notice | null
}

export const AppContext = createContext<AppContextValue | null>(null)

export function useApp(): AppContextValue {
  const v = useContext(AppContext)
  if (!v) throw new Error('useApp outside <AppContext>')
  return v
}
