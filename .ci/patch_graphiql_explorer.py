"""Teach GraphiQL's Explorer plugin lists of enum values (``make graphiql-assets`` runs this).

graphiql-explorer 0.9.0, which every @graphiql/plugin-explorer release bundles, renders an enum
argument only as one value: given a list (``status: [UNPAID, OVERDUE]``) it logs "arg mismatch
between arg and selection" to the console and shows no widget. This replaces that branch of
the packed plugin with one checkbox per enum value, each toggling its value in the list.
Idempotent; fails loudly if the plugin's code is not the one it knows.

    python .ci/patch_graphiql_explorer.py gateway/static/graphiql/plugin-explorer/index.umd.js
"""

from __future__ import annotations

import sys
from pathlib import Path

MISMATCH = ':console.error("arg mismatch between arg and selection",u,l);else if((0,v.isInputObjectType)(u))'
ENUM_LIST = (
    ':l.kind==="ListValue"?r=a.createElement("span",{className:"gateway-enum-list"},'
    "u.getValues().map(function(d){"
    "var on=l.values.some(function(x){return x.value===d.name});"
    'return a.createElement("label",{key:d.name,'
    'style:{marginRight:8,whiteSpace:"nowrap",color:f.colors.string2}},'
    'a.createElement("input",{type:"checkbox",checked:on,"aria-label":d.name,onChange:function(){'
    "var values=on?l.values.filter(function(x){return x.value!==d.name})"
    ':l.values.concat([{kind:"EnumValue",value:d.name}]);'
    'n.props.setArgValue({kind:"ListValue",values:values})}}),d.name)}))'
    ':console.error("arg mismatch between arg and selection",u,l);else if((0,v.isInputObjectType)(u))'
)


def patch(path: Path) -> bool:
    """Patches ``path`` in place; False when it already was."""
    code = path.read_text()
    if "gateway-enum-list" in code:
        return False
    if code.count(MISMATCH) != 1:
        raise SystemExit(
            f"{path}: not the Explorer plugin this patch knows (@graphiql/plugin-explorer 1.0.2)"
        )
    path.write_text(code.replace(MISMATCH, ENUM_LIST))
    return True


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {'patched' if patch(Path(name)) else 'already patched'}")
