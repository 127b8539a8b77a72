"""Every message a client may read, in Czech and English, keyed by code.

``CODES``: the general text of each error code (``extensions.code``) and of each code a
payload's errors carry; what a message says when the catalogue has no text of its own for it.
``MESSAGES``: the text of each message the code raises, its English exactly as raised, with
``{name}`` where the raise site puts a value. A ``{message}`` value is itself a message and is
translated too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    cs: str
    en: str


CODES: dict[str, Text] = {
    # extensions.code (gateway.errors.ErrorCode)
    "UNAUTHENTICATED": Text("Musíte se přihlásit.", "You need to log in."),
    "FORBIDDEN": Text("Tohle vidět ani dělat nesmíte.", "You may not see or do this."),
    "NOT_FOUND": Text("Nenalezeno.", "Not found."),
    "BAD_USER_INPUT": Text("Zadané hodnoty nejsou platné.", "The values given are not valid."),
    "GRAPHQL_PARSE_FAILED": Text("Dotaz není platný GraphQL.", "The document is not valid GraphQL."),
    "GRAPHQL_VALIDATION_FAILED": Text("Dotaz neodpovídá schématu.", "The document does not fit the schema."),
    "BACKEND_UNAVAILABLE": Text("Systém teď není dostupný.", "A system is not available right now."),
    "RATE_LIMITED": Text("Příliš mnoho pokusů; zkuste to později.", "Too many attempts; try again later."),
    "QUERY_TOO_COMPLEX": Text("Dotaz je příliš složitý.", "The query is too complex."),
    "PERSISTED_QUERY_NOT_FOUND": Text("Uložený dotaz nebyl nalezen.", "The persisted query was not found."),
    "INTERNAL": Text("Něco se u nás pokazilo.", "Something went wrong on our side."),
    "IN_PROGRESS": Text(
        "Podání s tímto klíčem ještě probíhá; zkuste to za chvíli znovu.",
        "A submission with this key is still running; retry shortly.",
    ),
    "SERVICE_UNAVAILABLE": Text(
        "Služba teď není dostupná; zkuste to za chvíli znovu.",
        "The service is not available right now; retry shortly.",
    ),
    # UserError codes (account mutations, requests) and NominationError codes
    "INVALID_CREDENTIALS": Text("Špatné přihlašovací jméno nebo heslo.", "Wrong login or password."),
    "WRONG_PASSWORD": Text("Heslo není správné.", "The password is not right."),
    "WEAK_PASSWORD": Text("Heslo je příliš slabé.", "The password is too weak."),
    "INVALID_EMAIL": Text("Toto není e-mailová adresa.", "This is not an e-mail address."),
    "INVALID_NAME": Text("Jméno je neplatné.", "This name is not valid."),
    "INVALID_PHONE": Text("Toto není české telefonní číslo.", "This is not a Czech phone number."),
    "INVALID_LOGIN": Text("Přihlašovací jméno není platné.", "The login is not valid."),
    "INVALID_GRANT": Text("Přístup nelze takto udělit.", "Access cannot be granted like this."),
    "LOGIN_TAKEN": Text("Toto přihlašovací jméno už je obsazené.", "This login is already taken."),
    "PROOF_FAILED": Text(
        "Číslo zákazníka se s uvedeným dokladem nepodařilo ověřit.",
        "We could not confirm this customer number with the proof given.",
    ),
    "STRONGER_PROOF_NEEDED": Text(
        "Toto číslo zákazníka už je v portálu spravováno; prokažte ho fakturou.",
        "This customer number is already managed in the portal; prove it with an invoice.",
    ),
    "LAST_OWNER": Text("Posledního vlastníka nelze odebrat.", "The last owner cannot be removed."),
    "BAD_PROOF": Text("Doklad je neúplný nebo neplatný.", "The proof is incomplete or not valid."),
    "CLAIM_REJECTED": Text(
        "Vlastník tohoto čísla zákazníka vaši žádost zamítl.",
        "An owner of this customer number rejected your claim.",
    ),
    "NOT_CONFIRMED": Text("Akce nebyla potvrzena.", "The action was not confirmed."),
    "NOT_LOGGED_IN": Text("Nejste přihlášeni.", "You are not logged in."),
    "NOT_MERGEABLE": Text("Tyto účty nelze sloučit.", "These accounts cannot be merged."),
    "SESSION_ENDED": Text("Přihlášení už skončilo.", "The session has already ended."),
    "TOKEN_EXPIRED": Text("Platnost odkazu vypršela.", "The link has expired."),
    "TOKEN_UNKNOWN": Text("Tento odkaz neznáme.", "This link is not known."),
    "TOKEN_USED": Text("Tento odkaz už byl použit.", "This link has already been used."),
    "REQUIRED": Text("Vyplňte toto pole.", "Fill this in."),
    "INVALID": Text("Tato hodnota není platná.", "This value is not valid."),
    "TOO_LOW": Text("Hodnota je příliš nízká.", "The value is too low."),
    "TOO_HIGH": Text("Hodnota je příliš vysoká.", "The value is too high."),
    "IN_FUTURE": Text("Datum nesmí být v budoucnosti.", "The date must not be in the future."),
    "IN_PAST": Text("Datum nesmí být v minulosti.", "The date must not be in the past."),
    "IMPLAUSIBLE": Text(
        "Hodnota je nepravděpodobná; zkontrolujte ji.", "The value is implausible; check it."
    ),
    "UNCHANGED": Text("Nic by se nezměnilo.", "Nothing would change."),
    "TOO_SOON": Text("Na tuto změnu je příliš brzy.", "It is too soon for this change."),
    "NOT_PERMITTED": Text("Tato změna není dovolena.", "This change is not permitted."),
    "REQUEST_CLOSED": Text(
        "Požadavek je vyřízen, zamítnut nebo zrušen a už se nemůže změnit.",
        "The request is resolved, rejected or cancelled and can no longer change.",
    ),
    "MISSING_OFFSET": Text("Čas začátku nemá posun od UTC.", "A start time has no UTC offset."),
    "MISSING": Text("Interval chybí.", "An interval is missing."),
    "DUPLICATE": Text("Interval je zadán dvakrát.", "An interval is given twice."),
    "MISALIGNED": Text("Interval nezačíná na hranici rastru.", "An interval starts off the grid."),
    "OUT_OF_RANGE": Text("Interval leží mimo období.", "An interval lies outside the period."),
    "NEGATIVE": Text("Hodnota je záporná.", "A value is negative."),
    "NOT_A_NUMBER": Text("Hodnota není číslo.", "A value is not a number."),
    "TOO_MANY_DECIMALS": Text("Hodnota má příliš mnoho desetinných míst.", "A value has too many decimals."),
    "OUT_OF_TOLERANCE": Text(
        "Hodnota je mimo toleranci smlouvy.", "A value is outside the contract's tolerance."
    ),
    "GATE_CLOSED": Text("Uzávěrka tohoto období už proběhla.", "This period's gate has closed."),
    "MALFORMED_CSV": Text("Soubor CSV nelze přečíst.", "The CSV file cannot be read."),
}

MESSAGES: dict[str, Text] = {
    # sessions and credentials
    "LOGIN_NEEDED": Text("Musíte se přihlásit.", "You need to log in."),
    "SESSION_ENDED": Text(
        "Vaše přihlášení skončilo; přihlaste se znovu.", "Your session has ended; log in again."
    ),
    "SESSION_ALREADY_ENDED": Text("Toto přihlášení už skončilo.", "This session had already ended."),
    "NO_SESSION_TO_END": Text("Nejste přihlášeni; není co ukončit.", "There was no session to end."),
    "API_KEY_REFUSED": Text(
        "Tento API klíč není (nebo už není) platný.", "This API key is not valid (or no longer)."
    ),
    "WRONG_CREDENTIALS": Text("Špatné přihlašovací jméno nebo heslo.", "Wrong login or password."),
    "CURRENT_PASSWORD_WRONG": Text("Současné heslo není správné.", "The current password is not right."),
    "PASSWORD_TOO_LONG": Text("Heslo má nejvýše {max} znaků.", "A password has at most {max} characters."),
    "PASSWORD_TOO_SHORT": Text(
        "Heslo musí mít alespoň {min} znaků.", "The password needs at least {min} characters."
    ),
    "PASSWORD_OVER_MAX": Text(
        "Heslo smí mít nejvýše {max} znaků.", "The password may have at most {max} characters."
    ),
    "PASSWORD_CONTAINS_LOGIN": Text(
        "Heslo nesmí obsahovat přihlašovací jméno.", "The password must not contain the login."
    ),
    "PASSWORD_COMMON": Text(
        "Toto heslo je příliš běžné; zvolte jiné.", "This password is too common; choose another one."
    ),
    "PASSWORD_CHECKS_BUSY": Text(
        "Příliš mnoho přihlášení naráz; zkuste to za chvíli.",
        "Too many sign-ins at once; try again in a moment.",
    ),
    "TOO_MANY_FAILED_ATTEMPTS": Text(
        "Příliš mnoho neúspěšných pokusů; zkuste to později.", "Too many failed attempts; try again later."
    ),
    "TOO_MANY_REQUESTS": Text(
        "Příliš mnoho požadavků; zkuste to později.", "Too many requests; try again later."
    ),
    "LOGIN_FORMAT": Text(
        "Přihlašovací jméno má 1 až 64 tisknutelných znaků.", "A login has 1 to 64 printable characters."
    ),
    "LOGIN_LENGTH": Text("Přihlašovací jméno má 1 až {max} znaků.", "A login has 1 to {max} characters."),
    "LOGIN_TAKEN": Text("Toto přihlašovací jméno už je obsazené.", "This login is already taken."),
    "NOT_AN_EMAIL": Text("Toto není e-mailová adresa.", "This is not an e-mail address."),
    "NOT_AN_EMAIL_SHORT": Text("Toto není e-mailová adresa.", "Not an e-mail address."),
    "NAME_LENGTH": Text("Zadejte jméno dlouhé 1 až {max} znaků.", "Give a name of 1 to {max} characters."),
    # registration, owners and access
    "PROOF_FAILED": Text(
        "Číslo zákazníka se s uvedeným dokladem nepodařilo ověřit.",
        "We could not confirm this customer number with the proof given.",
    ),
    "STRONGER_PROOF_NEEDED": Text(
        "Toto číslo zákazníka už je v portálu spravováno. Chcete-li požádat jeho vlastníka o přístup, "
        "prokažte ho jednou z jeho faktur: variabilním symbolem a celkovou částkou té faktury.",
        "This customer number is already managed in the portal. To ask its owner for access, prove it "
        "with one of its invoices: the variable symbol and that invoice's total.",
    ),
    "PROOF_ONE_OF": Text(
        "Uveďte buď variabilní symbol, nebo kód odběrného místa.",
        "Give either a variable symbol or a supply point code.",
    ),
    "ALREADY_OWNER": Text("Toto číslo zákazníka už vlastníte.", "You already own this customer number."),
    "USER_ALREADY_OWNER": Text(
        "Tento uživatel už toto číslo zákazníka vlastní.", "This user already owns this customer number."
    ),
    "NO_SUCH_USER": Text("Žádný uživatel nemá toto přihlašovací jméno.", "No user has this login."),
    "NO_SUCH_CLAIM": Text("Taková žádost neexistuje.", "No such claim."),
    "NO_SUCH_GRANT": Text("Takový přístup neexistuje.", "No such grant."),
    "LAST_OWNER": Text(
        "Posledního vlastníka nelze odebrat: nejprve schvalte jiného vlastníka.",
        "The last owner cannot be removed: approve another owner first.",
    ),
    "OWNER_ONLY_ACCESS": Text(
        "Kdo má přístup, může spravovat jen vlastník zákazníka.",
        "Only the customer's owner can manage who has access.",
    ),
    "OWNER_ONLY_CLAIM": Text(
        "O žádosti může rozhodnout jen vlastník zákazníka.",
        "Only the customer's owner can decide on a claim.",
    ),
    "OWNER_ONLY_MONEY": Text(
        "Kam jdou peníze nebo pošta zákazníka, může změnit jen jeho vlastník.",
        "Only the customer's owner can change where its money or mail goes.",
    ),
    "GRANT_SCOPE": Text("Udělte alespoň jedno oprávnění.", "Grant at least one scope."),
    "GRANT_CONSENT": Text(
        "Souhlas zákazníka musí být zaznamenán.", "The customer's consent must be recorded."
    ),
    "GRANT_CONSENT_LENGTH": Text(
        "Znění souhlasu smí mít nejvýše {max} znaků.",
        "The consent's wording may be at most {max} characters long.",
    ),
    "GRANT_EXPIRY": Text("Konec platnosti musí ležet v budoucnosti.", "The expiry must lie in the future."),
    "MERGE_PICK": Text("Vyberte alespoň jeden účet ke sloučení.", "Pick at least one account to merge."),
    "MERGE_SAME_EMAIL": Text(
        "Sloučit lze jen účty se stejným ověřeným e-mailem.",
        "Only accounts with the same verified e-mail can be merged.",
    ),
    "MERGE_PICK_SHARED": Text(
        "Vyberte účty, které sdílejí váš ověřený e-mail.", "Pick accounts that share your verified e-mail."
    ),
    "MERGE_CONFIRM": Text(
        "Potvrďte, že vybrané účty budou zrušeny.", "Confirm that the picked accounts will be cancelled."
    ),
    "STAFF_READ_ONLY": Text("Přístup zaměstnanců je jen pro čtení.", "Staff access is read-only."),
    "STAFF_NO_REQUESTS": Text("Zaměstnanci nemohou podávat požadavky.", "Staff cannot submit requests."),
    "STAFF_NO_CUSTOMERS": Text(
        "Role tohoto API klíče nezahrnují čtení zákazníků.",
        "This API key's roles do not include reading customers.",
    ),
    "NOT_ALLOWED": Text("Tohle vidět ani dělat nesmíte.", "You may not see or do this."),
    "NOT_FOUND": Text("Nenalezeno.", "Not found."),
    "LINK_INVALID": Text("Tento odkaz není (nebo už není) platný.", "This link is not valid, or no longer."),
    # back ends
    "BACKEND_UNAVAILABLE": Text(
        "Systém {backend} teď není dostupný.", "The {backend} system is not available right now."
    ),
    "BACKEND_UNREADABLE": Text(
        "Systém {backend} odpověděl tak, že odpovědi brána nerozumí.",
        "The {backend} system gave an answer the gateway cannot read.",
    ),
    "BACKEND_REJECTED": Text(
        "Systém {backend} tyto hodnoty nepřijal.", "The {backend} system did not accept these values."
    ),
    "BACKEND_CHARACTERS": Text(
        "Systém {backend} tyto znaky nepřijme.", "The {backend} system cannot take these characters."
    ),
    "INTERNAL": Text("Něco se u nás pokazilo.", "Something went wrong on our side."),
    "STORE_UNAVAILABLE": Text(
        "Služba je krátce nedostupná; zkuste to za chvíli znovu.",
        "The service is briefly unavailable; try again shortly.",
    ),
    # arguments and scalars
    "CURSOR_UNKNOWN": Text(
        "`after` není kurzor, který toto API vydalo.", "`after` is not a cursor this API gave out."
    ),
    "SEARCH_EMPTY": Text("`query` je prázdný.", "`query` is empty."),
    "SEARCH_TOO_LONG": Text(
        "`query` smí mít nejvýše 100 znaků.", "`query` may be at most 100 characters long."
    ),
    "SEARCH_CONTROL": Text(
        "`query` nesmí obsahovat řídicí znaky.", "`query` may not contain control characters."
    ),
    "SEARCH_TOO_SHORT": Text(
        "Zadejte alespoň 2 znaky jména nebo adresy.", "Give at least 2 characters of a name or an address."
    ),
    "SEARCH_CHECK_DIGIT": Text(
        "Tento EAN nebo EIC má chybnou kontrolní číslici.", "This EAN or EIC has a wrong check digit."
    ),
    "SEARCH_NO_IDENTIFIER": Text(
        "Tyto číslice nejsou zákaznické číslo, EAN, IČO, telefon ani variabilní symbol.",
        "These digits are no customer number, EAN, IČO, phone or variable symbol.",
    ),
    "PAGE_SIZE": Text("`first` musí být mezi 0 a {max}.", "`first` must be between 0 and {max}."),
    "NODE_IDS": Text("`ids` smí obsahovat nejvýše {max} ID.", "`ids` may hold at most {max} IDs."),
    "NOT_KIND": Text("Nejde o {kind}.", "Not {kind}."),
    "NOT_KIND_TOO_LONG": Text(
        "Nejde o {kind}: delší než {max} znaků.", "Not {kind}: longer than {max} characters."
    ),
    "DECIMAL_NOT": Text("Nejde o desetinné číslo.", "Not a decimal number."),
    "DECIMAL_NOT_FINITE": Text("Nejde o konečné desetinné číslo.", "Not a finite decimal number."),
    "DECIMAL_TOO_LARGE": Text(
        "Desetinné číslo musí být v absolutní hodnotě menší než 10^12.",
        "A decimal number must be smaller than 10^12 in size.",
    ),
    "DECIMAL_PLACES": Text(
        "Desetinné číslo smí mít nejvýše šest desetinných míst.",
        "A decimal number may have at most six decimals.",
    ),
    "DATE_RANGE": Text(
        "Datum musí ležet mezi {earliest} a {latest}.", "A date must be between {earliest} and {latest}."
    ),
    "DATE_FORMAT": Text("Nejde o datum: zadejte RRRR-MM-DD.", "Not a date: give YYYY-MM-DD."),
    "DATETIME_FORMAT": Text("Nejde o datum a čas: zadejte ISO 8601.", "Not a date and time: give ISO 8601."),
    "AMOUNT_RANGE": Text("`amountFrom` je větší než `amountTo`.", "`amountFrom` is greater than `amountTo`."),
    "DUE_RANGE": Text("`dueFrom` je pozdější než `dueTo`.", "`dueFrom` is later than `dueTo`."),
    "MIN_DAYS_OVERDUE_NEGATIVE": Text(
        "`minDaysOverdue` nesmí být záporné.", "`minDaysOverdue` must not be negative."
    ),
    "MAX_DAYS_OVERDUE_NEGATIVE": Text(
        "`maxDaysOverdue` nesmí být záporné.", "`maxDaysOverdue` must not be negative."
    ),
    "DAYS_OVERDUE_RANGE": Text(
        "`minDaysOverdue` je větší než `maxDaysOverdue`.",
        "`minDaysOverdue` is greater than `maxDaysOverdue`.",
    ),
    "MIN_AMOUNT_NEGATIVE": Text("`minAmount` nesmí být záporná.", "`minAmount` must not be negative."),
    "DATE_FROM_RANGE": Text("`dateFrom` je pozdější než `dateTo`.", "`dateFrom` is later than `dateTo`."),
    "CREATED_RANGE": Text(
        "`createdFrom` je pozdější než `createdTo`.", "`createdFrom` is later than `createdTo`."
    ),
    "AUDIT_PERIOD": Text(
        "`filter.since` je pozdější než `filter.until`.", "`filter.since` is later than `filter.until`."
    ),
    "AUDIT_CUSTOMER_NUMBER": Text(
        "`filter.customerNumber` není číslo zákazníka (10 číslic).",
        "`filter.customerNumber` is not a customer number (10 digits).",
    ),
    "AUDIT_ACTION_LENGTH": Text(
        "`filter.action` musí mít 1 až {max} znaků.", "`filter.action` must have 1 to {max} characters."
    ),
    "SUPPLY_POINT_ID": Text(
        "`supplyPointId` není ID odběrného místa.", "`supplyPointId` is not a supply point's ID."
    ),
    "IDEMPOTENCY_KEY_LENGTH": Text(
        "`idempotencyKey` musí mít 1 až {max} znaků.", "`idempotencyKey` must have 1 to {max} characters."
    ),
    "IDEMPOTENCY_KEY_REUSED": Text(
        "Tento `idempotencyKey` už byl použit pro jiné podání.",
        "This `idempotencyKey` was already used for a different submission.",
    ),
    "IDEMPOTENCY_KEY_RUNNING": Text(
        "Podání s tímto `idempotencyKey` ještě probíhá; zkuste to za chvíli znovu.",
        "A submission with this `idempotencyKey` is still running; retry shortly.",
    ),
    # query limits, cost and persisted queries
    "QUERY_COST": Text(
        "Operace stojí {cost} bodů; celý rozpočet má {budget}.",
        "The operation costs {cost} points; a full budget holds {budget}.",
    ),
    "QUERY_NOT_PARSED": Text("Dotaz nelze rozebrat.", "The query does not parse."),
    "QUERY_NO_OPERATION": Text(
        "Dotaz nemá operaci tohoto jména.", "The query has no operation of that name."
    ),
    "TOO_MANY_REPEATS": Text(
        "Výběr žádá jedno pole {repeats}krát; nejvýše {max}.",
        "A selection asks for one field {repeats} times; at most {max}.",
    ),
    "CREDENTIALS_ONCE": Text(
        "Operace smí ověřit přihlašovací údaje jen jednou: nejvýše {max} z {names} (včetně aliasů); tato jich má {count}.",
        "An operation may check credentials once: at most {max} of {names} (aliases included); this one has {count}.",
    ),
    "OPERATION_NAME_NEEDED": Text(
        "Dokument s více operacemi musí uvést operationName.",
        "Must provide operation name if query contains multiple operations.",
    ),
    "TEXT_TOO_LONG": Text("Text smí mít nejvýše {max} znaků.", "Text may be at most {max} characters long."),
    "TEXT_CONTROL_CHARACTERS": Text(
        "Text nesmí obsahovat NUL, řídicí znaky ani nepárové náhradní znaky (surrogates).",
        "Text may not contain NUL, control characters or unpaired surrogates.",
    ),
    "DOCUMENT_TOO_MANY_FIELDS": Text(
        "Dokument se rozvine na víc než {max} polí.", "The document expands to more than {max} fields."
    ),
    "TOO_MANY_PAGE_NODES": Text(
        "Vnořené stránky by mohly vrátit {nodes} objektů; nejvýše {max}.",
        "The nested page sizes could return {nodes} objects; at most {max}.",
    ),
    "OPERATION_TOO_MANY_FIELDS": Text(
        "Operace se rozvine na {fields} polí; nejvýše {max}.",
        "The operation expands to {fields} fields; at most {max}.",
    ),
    "OPERATION_TOO_DEEP": Text(
        "Operace je vnořena do {depth} úrovní; nejvýše {max}.",
        "The operation is nested {depth} levels deep; at most {max}.",
    ),
    "TOO_MANY_ALIASES": Text(
        "Nalezeno {aliases} aliasů; nejvýše {max}.", "{aliases} aliases found; at most {max}."
    ),
    "TOO_MANY_TOKENS": Text(
        "Dokument obsahuje víc než {max} tokenů. Rozbor přerušen.",
        "Document contains more than {max} tokens. Parsing aborted.",
    ),
    "PERSISTED_NOT_OBJECT": Text(
        "extensions.persistedQuery musí být objekt.", "extensions.persistedQuery must be an object."
    ),
    "PERSISTED_VERSION": Text(
        "Nepodporovaná verze uloženého dotazu; tato brána podporuje {version}.",
        "Unsupported persisted query version; this gateway supports {version}.",
    ),
    "PERSISTED_HASH_FORMAT": Text(
        "extensions.persistedQuery.sha256Hash musí být 64 malých šestnáctkových číslic.",
        "extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits.",
    ),
    "PERSISTED_HASH_MISMATCH": Text(
        "SHA-256 dotazu neodpovídá extensions.persistedQuery.sha256Hash.",
        "The query's SHA-256 does not match extensions.persistedQuery.sha256Hash.",
    ),
    "PERSISTED_TOO_LARGE": Text(
        "Dokument je pro uložení příliš velký (nejvýše {max} bajtů).",
        "The document is too large to persist (at most {max} bytes).",
    ),
    "PERSISTED_NOT_LISTED": Text(
        "Tato operace není mezi uloženými operacemi, které tato brána spouští.",
        "This operation is not among the persisted operations this gateway runs.",
    ),
    # HTTP
    "METHOD_NOT_ALLOWED": Text("Tato metoda zde není dovolena.", "This method is not allowed here."),
    "NOT_ACCEPTABLE": Text(
        "Požádejte o {json} nebo {graphql_response} (hlavička Accept).",
        "Ask for {json} or {graphql_response} (the Accept header).",
    ),
    "REQUEST_NOT_SERVED": Text("Tento požadavek nelze obsloužit.", "This request cannot be served."),
    "CONTENT_LENGTH": Text("Content-Length není číslo.", "Content-Length is not a number."),
    "BODY_TOO_LARGE": Text(
        "Tělo požadavku je příliš velké (nejvýše {max} bajtů).",
        "The request body is too large (at most {max} bytes).",
    ),
    "BODY_NOT_UTF8": Text("Tělo požadavku není v UTF-8.", "The request body is not UTF-8."),
    "BODY_NOT_JSON": Text("Tělo požadavku nelze přečíst jako JSON.", "Unable to parse request body as JSON"),
    "JSON_TOO_DEEP": Text(
        "JSON je zanořen příliš hluboko (nejvýše {max} úrovní).",
        "The JSON is nested too deeply (at most {max} levels).",
    ),
    "JSON_NOT_OBJECTS": Text(
        "Požadavek GraphQL, jeho proměnné i rozšíření jsou objekty JSON.",
        "A GraphQL request, its variables and its extensions are JSON objects.",
    ),
    "JSON_TOO_MANY_VALUES": Text(
        "Proměnné obsahují příliš mnoho hodnot (nejvýše {max}).",
        "The variables hold too many values (at most {max}).",
    ),
    "CSRF": Text(
        "Požadavek ověřený cookie musí být odeslán jako application/json.",
        "A request authenticated by cookie must be sent as application/json.",
    ),
    "METRICS_TOKEN": Text("Metriky vyžadují bearer token.", "The metrics need a bearer token."),
    "BATCHING_OFF": Text("Dávkové požadavky nejsou zapnuté.", "Batching is not enabled"),
    "NO_QUERY": Text("V požadavku není žádný dotaz GraphQL.", "No GraphQL query found in the request"),
    "CONTENT_TYPE": Text("Nepodporovaný typ obsahu.", "Unsupported content type"),
    # requests
    "ONE_KIND": Text("Uveďte právě jeden druh požadavku.", "Give exactly one kind of request."),
    "FILL_IN": Text("Vyplňte toto pole.", "Fill this in."),
    "AT_MOST_CHARACTERS": Text("Nejvýše {max} znaků.", "At most {max} characters."),
    "CHOOSE_SUPPLY_POINT": Text("Vyberte odběrné místo.", "Choose a supply point."),
    "NO_SUCH_SUPPLY_POINT": Text(
        "Takové odběrné místo tento zákazník nemá.", "No such supply point of this customer."
    ),
    "NOT_OFFERED": Text(
        "Tento požadavek se pro smlouvu tohoto odběrného místa nenabízí.",
        "This request is not offered for this supply point's contract.",
    ),
    "NO_DEPOSIT_PLAN": Text(
        "Toto odběrné místo nemá zálohový kalendář.", "This supply point has no deposit plan."
    ),
    "DEPOSIT_AMOUNT": Text(
        "Zadejte kladnou částku v Kč s nejvýše dvěma desetinnými místy.",
        "Give a positive amount in CZK with at most two decimals.",
    ),
    "DEPOSIT_MIN": Text("Záloha musí být alespoň {min} Kč.", "The deposit must be at least {min} CZK."),
    "DEPOSIT_MAX": Text("Záloha smí být nejvýše {max} Kč.", "The deposit can be at most {max} CZK."),
    "DIRECT_DEBIT_ACCOUNT": Text("Inkaso potřebuje bankovní účet.", "Direct debit needs a bank account."),
    "SIPO_NUMBER_NEEDED": Text(
        "Pro platbu přes SIPO zadejte spojovací číslo.",
        "SIPO needs its connection number (spojovací číslo).",
    ),
    "SIPO_NUMBER_ONLY": Text(
        "Spojovací číslo se zadává jen u platby přes SIPO.", "A connection number is only for SIPO."
    ),
    "SIPO_NUMBER_DIGITS": Text(
        "Spojovací číslo SIPO má deset číslic.", "A SIPO connection number has ten digits."
    ),
    "SAME_PAYMENT_METHOD": Text("Tento způsob platby už je nastaven.", "This is already the payment method."),
    "BANK_ACCOUNT": Text(
        "Nejde o platný český bankovní účet (123-1234567890/0100) ani český IBAN.",
        "Not a valid Czech bank account (123-1234567890/0100) or Czech IBAN.",
    ),
    "CONTACT_ONE": Text("Zadejte nový e-mail, telefon nebo obojí.", "Give a new e-mail, phone or both."),
    "PHONE": Text("Zadejte české číslo: +420 a devět číslic.", "Give a Czech number: +420 and nine digits."),
    "PHONE_FORMAT": Text(
        "České telefonní číslo: +420 a devět číslic.", "A Czech phone number: +420 and nine digits."
    ),
    "POSTCODE": Text(
        "České PSČ: pět číslic, psané 110 00.", "A Czech postcode: five digits, written 110 00."
    ),
    "HOUSE_NUMBER": Text("Číslo domu jako 12 nebo 1234/5a.", "A house number like 12 or 1234/5a."),
    "ICO_DIGITS": Text("IČO má osm číslic.", "An IČO has eight digits."),
    "ICO_CHECK_DIGIT": Text(
        "Nejde o IČO: osm číslic s platnou kontrolní číslicí.",
        "Not an IČO: eight digits with a valid check digit.",
    ),
    "READING_FUTURE": Text(
        "Datum odečtu nemůže být v budoucnosti.", "The reading date cannot be in the future."
    ),
    "READING_LAST_DATE": Text("Poslední odečet byl {date}.", "The last reading was on {date}."),
    "READING_LAST_VALUE": Text(
        "Poslední stav tohoto registru byl {value} kWh.", "The last reading of this register was {value} kWh."
    ),
    "READING_IMPLAUSIBLE": Text(
        "{delta} kWh od posledního odečtu je mnohem víc než očekávaná spotřeba; zkontrolujte číslice.",
        "{delta} kWh since the last reading is far above the expected consumption; check the digits.",
    ),
    "READING_WHOLE_KWH": Text(
        "Celé kWh, jak je ukazuje elektroměr, bez desetinných míst.",
        "Whole kWh, as the meter shows them, without decimals.",
    ),
    "READING_BY_DISTRIBUTOR": Text(
        "Odečty tohoto odběrného místa provádí distributor.",
        "The distributor takes this supply point's readings.",
    ),
    "METER_TWO_REGISTERS": Text(
        "Tento elektroměr má i registr nízkého tarifu.", "This meter has a low-tariff register too."
    ),
    "METER_ONE_REGISTER": Text("Tento elektroměr má jen jeden registr.", "This meter has one register only."),
    "METER_SINGLE_REGISTER": Text("Tento elektroměr má jen jeden registr.", "This meter has one register."),
    "READING_WHOLE_KWH_NOT_NEGATIVE": Text("Celé kWh, ne záporné.", "Whole kWh, not negative."),
    "READING_VT_TOO": Text("Zadejte i stav registru VT.", "Give the VT register too."),
    "CHOOSE_ONE_OF": Text("Vyberte jednu z možností: {options}.", "Choose one of: {options}."),
    "ONE_OF": Text("Jedna z možností: {options}.", "One of: {options}."),
    "SAME_PRODUCT": Text(
        "Toto odběrné místo už tento produkt má.", "This supply point already has this product."
    ),
    "START_TOMORROW": Text(
        "Změna může začít nejdříve zítra.", "The change can start tomorrow at the earliest."
    ),
    "YEAR_AHEAD": Text("Nejvýše rok dopředu.", "At most a year ahead."),
    "BREAKER_OR_TARIFF": Text(
        "Zadejte nový hlavní jistič, novou distribuční sazbu nebo obojí.",
        "Give a new main breaker, a new distribution tariff or both.",
    ),
    "BREAKER_BOTH": Text(
        "Zadejte u nového jističe počet fází i proud.",
        "Give both the phases and the amps of the new breaker.",
    ),
    "PHASES": Text("1 nebo 3 fáze.", "1 or 3 phases."),
    "BREAKER_SIZE": Text(
        "Standardní velikost: {sizes} A (1 fáze nejvýše 32 A).",
        "A standard size: {sizes} A (1 phase at most 32 A).",
    ),
    "SAME_BREAKER": Text("Toto je současný jistič.", "This is the current breaker."),
    "HIGH_VOLTAGE_CAPACITY": Text(
        "Odběrné místo na vysokém napětí má rezervovanou kapacitu, ne jistič ani distribuční sazbu.",
        "A high-voltage supply point has a reserved capacity, not a breaker or a tariff.",
    ),
    "TARIFF_UNKNOWN": Text(
        "Nejde o distribuční sazbu pro toto odběrné místo.",
        "Not a distribution tariff for this supply point.",
    ),
    "TARIFF_CLOSED": Text(
        "Tato sazba se novým zákazníkům nenabízí.", "This tariff is closed to new customers."
    ),
    "SAME_TARIFF": Text("Toto je současná sazba.", "This is the current tariff."),
    "TARIFF_ONCE_A_YEAR": Text(
        "Sazbu lze změnit jednou za 12 měsíců; poslední změna byla podána {date}.",
        "The tariff can change once in 12 months; the last change was filed on {date}.",
    ),
    "ELECTRICITY_COMBINED_ONLY": Text(
        "Jen pro elektřinu se sdruženými službami.", "Only for electricity on combined services."
    ),
    "END_IN_PAST": Text("Smlouva nemůže skončit v minulosti.", "The contract cannot end in the past."),
    "SAY_WHY": Text("Uveďte důvod, je-li důvodem OTHER.", "Say why, when the reason is OTHER."),
    "POWER_OF_ATTORNEY_VALID": Text(
        "Plná moc, jejíž platnost ještě neskončila.", "A power of attorney that has not expired yet."
    ),
    "POWER_OF_ATTORNEY_YEARS": Text("Nejvýše {years} let dopředu.", "At most {years} years ahead."),
    "DOCUMENTS_AT_ONCE": Text(
        "Dokumentů může být najednou nejvýše {max}.", "At most {max} documents at once."
    ),
    "FILE_NAME": Text("Název souboru musí mít 1 až {max} znaků.", "A file name of 1 to {max} characters."),
    "FILE_TOO_LARGE": Text("Soubor smí mít nejvýše 72 KiB.", "At most 72 KiB a file."),
    "FILE_EMPTY": Text("Soubor je prázdný.", "The file is empty."),
    "FILE_TYPE": Text("Soubor není typu {content_type}.", "The file is not {content_type}."),
    "TRANSFER_BACKDATE": Text(
        "Nejvýše {days} dní zpětně: přepis nahlaste včas.",
        "At most {days} days back: report a change of customer in time.",
    ),
    "REQUEST_CLOSED": Text(
        "Požadavek je uzavřen a už se nemůže změnit.", "The request is closed and can no longer change."
    ),
    "REQUEST_ALREADY_CLOSED": Text(
        "Požadavek už je uzavřen a nelze ho změnit.",
        "The request is already closed and can no longer be changed.",
    ),
    "NO_SUCH_MESSAGE": Text("Taková zpráva neexistuje.", "No such message."),
    "OWNER_ONLY_REQUEST": Text(
        "Tento požadavek může změnit jen vlastník zákazníka.",
        "Only the customer's owner can change this request.",
    ),
    "UPDATE_SOMETHING": Text(
        "Zadejte shrnutí, dokumenty nebo údaje požadavku.",
        "Give a summary, documents or the case's fields.",
    ),
    "SUMMARY_LENGTH": Text("Zadejte 1 až {max} znaků.", "Give 1 to {max} characters."),
    "REQUEST_KIND": Text(
        "Tento požadavek je druhu {kind}: zadejte údaje tohoto druhu.",
        "This case is a {kind} request: give the member of that kind.",
    ),
    "SAME_SUPPLY_POINT": Text(
        "Odběrné místo požadavku nelze změnit.", "The case's supply point cannot change."
    ),
    # staff worklists (Staff.requestQueue, Staff.nominationStatus)
    "REQUEST_QUEUE_MIN_AGE": Text(
        "`minAgeDays` musí být mezi 0 a {max}.", "`minAgeDays` must be between 0 and {max}."
    ),
    "NOMINATION_STATUS_WEEK": Text(
        "`week` musí být den týdne od {earliest} do {latest} (nejvýše {back} týdnů před nadcházejícím "
        "týdnem {coming} a {ahead} po něm); {day} není.",
        "`week` must be a day of a week from {earliest} to {latest} (up to {back} weeks before and "
        "{ahead} after the coming week, {coming}); {day} is not.",
    ),
    # nomination
    "NOMINATION_NO_CONTRACT": Text(
        "Toto číslo zákazníka nemá smlouvu s nominací.", "This customer number has no nomination contract."
    ),
    "NOMINATION_MONDAY": Text(
        "Týden nominace začíná pondělím; {day} je {weekday}.",
        "A nomination week starts on a Monday; {day} is a {weekday}.",
    ),
    "NOMINATION_MONTH": Text(
        "{text} není měsíc od 1900-01 do 2999-12 ve tvaru RRRR-MM.",
        "{text} is not a month from 1900-01 to 2999-12 written YYYY-MM.",
    ),
    "NOMINATION_ONE_FORM": Text(
        "Zadejte hodnoty týdne buď jako `intervals`, nebo jako `csv`, ne obojí.",
        "Give the week's values either as `intervals` or as `csv`, not both.",
    ),
    "NOMINATION_REJECTED": Text(
        "Systém nominací toto období nepřijal.", "The nomination system did not accept this period."
    ),
    "NOMINATION_OUTSIDE_CONTRACT": Text(
        "Období začínající {start} leží mimo smlouvu.", "The period starting {start} is outside the contract."
    ),
    "NOMINATION_NO_VOLUME": Text(
        "Smlouva nemá pro {period} žádný objem.", "The contract has no volume for {period}."
    ),
    "NOMINATION_GATE": Text(
        "{what} pro toto období se uzavřely {deadline}; nyní je {now}.",
        "{what} for this period closed at {deadline}; it is now {now}.",
    ),
    "NOMINATION_NO_OFFSET": Text(
        "Interval {number} začíná {start} bez posunu od UTC.",
        "Interval {number} starts at {start} with no UTC offset.",
    ),
    "NOMINATION_OFF_GRID": Text(
        "Interval {number} začíná {start}, mimo rastr ({grid}).",
        "Interval {number} starts at {start}, off the {grid} grid.",
    ),
    "NOMINATION_OUTSIDE_PERIOD": Text(
        "Interval {number} začíná {start}, mimo období {first} až {end}.",
        "Interval {number} starts at {start}, outside the period {first} to {end}.",
    ),
    "NOMINATION_DUPLICATE": Text(
        "Interval {number} začíná {start}, což už pokrývá dřívější interval.",
        "Interval {number} starts at {start}, which an earlier interval already covers.",
    ),
    "NOMINATION_MISSING": Text(
        "Chybí interval začínající {start} (pozice {position}).",
        "The interval starting at {start} is missing (position {position}).",
    ),
    "NOMINATION_MISSING_COUNT": Text(
        "Chybí interval začínající {start} (pozice {position}); očekává se {expected} intervalů, zadáno {given}.",
        "The interval starting at {start} is missing (position {position}); {expected} intervals are expected, "
        "{given} were given.",
    ),
    "NOMINATION_NO_CONTRACTED_VALUE": Text(
        "Interval {number} ({start}) nemá smluvní hodnotu.",
        "Interval {number} ({start}) has no contracted value.",
    ),
    "NOMINATION_VALUE": Text(
        "Hodnota intervalu {number} ({start}) {message}.",
        "The value of interval {number} ({start}) {message}.",
    ),
    "NOMINATION_TOLERANCE": Text(
        "Hodnota intervalu {number} ({start}), {value} MW, se od smluvních {contracted} MW liší o víc než {percent} %.",
        "The value of interval {number} ({start}), {value} MW, is more than {percent} % from the contracted "
        "{contracted} MW.",
    ),
    # the same, with the interval named by its position (from 0)
    "POSITION_NO_OFFSET": Text(
        "Interval na pozici {position} začíná {start} bez posunu od UTC.",
        "The interval at position {position} starts at {start} with no UTC offset.",
    ),
    "POSITION_OFF_GRID": Text(
        "Interval na pozici {position} začíná {start}, mimo rastr ({grid}).",
        "The interval at position {position} starts at {start}, off the {grid} grid.",
    ),
    "POSITION_OUTSIDE_PERIOD": Text(
        "Interval na pozici {position} začíná {start}, mimo období {first} až {end}.",
        "The interval at position {position} starts at {start}, outside the period {first} to {end}.",
    ),
    "POSITION_DUPLICATE": Text(
        "Interval na pozici {position} začíná {start}, což už pokrývá dřívější interval.",
        "The interval at position {position} starts at {start}, which an earlier interval already covers.",
    ),
    "POSITION_NO_CONTRACTED_VALUE": Text(
        "Interval na pozici {position} ({start}) nemá smluvní hodnotu.",
        "The interval at position {position} ({start}) has no contracted value.",
    ),
    "POSITION_VALUE": Text(
        "Hodnota na pozici {position} ({start}) {message}.",
        "The value at position {position} ({start}) {message}.",
    ),
    "POSITION_TOLERANCE": Text(
        "Hodnota na pozici {position} ({start}), {value} MW, se od smluvních {contracted} MW liší o víc než {percent} %.",
        "The value at position {position} ({start}), {value} MW, is more than {percent} % from the contracted "
        "{contracted} MW.",
    ),
    "NOMINATION_MONTHLY_VALUE": Text("Měsíční hodnota {message}.", "The monthly value {message}."),
    "NOMINATION_MONTHLY_TOLERANCE": Text(
        "Měsíční hodnota, {value} MWh, se od smluvních {contracted} MWh liší o víc než {percent} %.",
        "The monthly value, {value} MWh, is more than {percent} % from the contracted {contracted} MWh.",
    ),
    "VALUE_NOT_A_NUMBER": Text("není číslo", "is not a number"),
    "VALUE_NEGATIVE": Text("je záporná ({value})", "is negative ({value})"),
    "VALUE_DECIMALS": Text(
        "má víc než {decimals} desetinných míst ({value})",
        "has more than {decimals} decimal places ({value})",
    ),
    "CSV_LINE": Text("Řádek {line}: {message}", "Line {line}: {message}"),
    "CSV_NO_OFFSET": Text(
        "Řádek {line}: {start} nemá posun od UTC (doplňte +01:00 nebo +02:00).",
        "Line {line}: {start} has no UTC offset (add +01:00 or +02:00).",
    ),
    "CSV_NOT_A_NUMBER": Text("Řádek {line}: {value} není číslo.", "Line {line}: {value} is not a number."),
}
