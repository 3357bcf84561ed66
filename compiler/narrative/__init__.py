"""The narrative, checked against the tables, by job:

- claims: which words name which table cells (claims.toml), compiled once per edition;
- reading: every number the text states, read and given a verdict (✓, ✗ or 未核对);
- findings: rule S6 (a number contradicting the tables), the validation report's 正文中的数字,
  rule R5 (a count whose number is missing);
- reference: the 参考表述, the standard sentences from the tables, in Python and as an Excel formula.

The names other modules use are importable from here.
"""

from .claims import AGREES, CONTRADICTS, UNCHECKED, Claims, _folder, _read, claims_data, load_claims
from .findings import missing_number_findings, missing_numbers, narrative_findings, readings_dicts
from .reading import MAX_NUMBERS, MAX_PARAGRAPH, Reading, read_narrative, read_text, previous_figures
from .reference import reference_data, reference_formula, reference_sentences

__all__ = ["AGREES", "CONTRADICTS", "MAX_NUMBERS", "MAX_PARAGRAPH", "UNCHECKED", "Claims", "Reading", "_folder", "_read",
           "claims_data", "load_claims", "missing_number_findings", "missing_numbers", "narrative_findings",
           "previous_figures", "read_narrative", "read_text", "readings_dicts", "reference_data", "reference_formula",
           "reference_sentences"]
