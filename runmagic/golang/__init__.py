"""Go, as far as docker's CLI shows it: a library of pure re-implementations.

docker's answers depend on Go's standard library: how ``strconv`` parses
``0x10`` or ``1_0``, how ``text/template`` runs ``--format``, how ``fmt`` prints a
nil map, how ``encoding/json`` orders and escapes, how ``text/tabwriter`` aligns a
table. Each module mirrors one of them closely enough that accepted inputs,
results and error texts agree:

- ``strconv``: scalars (ParseBool/Int/Uint/Float, Quote, durations, go-units sizes);
- ``stdlib``: ``net`` addresses, ``path.Clean``, ``encoding/csv``'s first record, ``unicode``;
- ``jsonsyntax``: ``json.Compact`` with the scanner's error words;
- ``jsonindent``: ``json.Indent``/``Compact`` over the engine's raw JSON;
- ``values``: Go values and types as templates see them (``fmt`` and ``json`` printing);
- ``template``: the ``text/template`` subset docker's ``--format`` uses;
- ``tabwriter``: docker's fork of ``text/tabwriter``.
"""
