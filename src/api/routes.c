/* Every route of the server. tests/unit/test_api.c checks this table against openapi.json. */
#include "api/api.h"

const struct http_route api_routes[] = {
    {"GET", "/healthz", api_healthz},
    {"GET", "/api/openapi.json", api_openapi},
    {"POST", "/api/session", api_session_create},
    {"GET", "/api/session", api_session_get},
    {"DELETE", "/api/session", api_session_delete},
    {"POST", "/api/session/password", api_session_password},
    {"POST", "/api/session/password/check", api_session_password_check},
    {"POST", "/api/session/mfa", api_session_mfa},
    {"POST", "/api/session/mfa/confirm", api_session_mfa_confirm},
    {"GET", "/api/people", api_people_list},
    {"POST", "/api/people", api_people_create},
    {"GET", "/api/people/{id}", api_people_get},
    {"PATCH", "/api/people/{id}", api_people_update},
    {"GET", "/api/accounts", api_accounts_list},
    {"POST", "/api/accounts", api_accounts_create},
    {"GET", "/api/accounts/{id}", api_accounts_get},
    {"POST", "/api/accounts/{id}/reset-password", api_accounts_reset_password},
    {"POST", "/api/accounts/{id}/disable", api_accounts_disable},
    {"POST", "/api/accounts/{id}/unlock", api_accounts_unlock},
    {"POST", "/api/accounts/{id}/mfa-reset", api_accounts_mfa_reset},
    {"PUT", "/api/accounts/{id}/roles", api_accounts_roles},
    {"GET", "/api/roles", api_roles_list},
    {"GET", "/api/journal", api_journal_list},
    {"POST", "/api/journal", api_journal_add},
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
