//! `lint_allow`: the warnings an editor has accepted for one file, each with its reason.
//! An accepted warning is still shown, marked accepted, and never fails a run, so that a
//! content repository's CI can run `check --deny-warnings` on what the source does on
//! purpose. An error cannot be accepted.

use std::collections::HashMap;

use super::Site;
use crate::content::kinds::Allowance;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

impl Site {
    /// The accepted rules of every content file, by the file's name as diagnostics give it.
    fn allowances(&self) -> HashMap<String, &[Allowance]> {
        self.items()
            .filter(|item| !item.lint_allow.is_empty())
            .map(|item| (item.source.name.clone(), item.lint_allow))
            .collect()
    }

    /// `diagnostics`, with each warning that its file accepts marked accepted.
    pub fn accept_allowed(&self, mut diagnostics: Diagnostics) -> Diagnostics {
        let allowances = self.allowances();
        if allowances.is_empty() {
            return diagnostics;
        }
        for d in &mut diagnostics.items {
            let allowance = allowances
                .get(&d.file)
                .and_then(|list| list.iter().find(|a| a.rule == d.code));
            if let Some(allowance) = allowance.filter(|_| d.severity == Severity::Warning) {
                *d = d.clone().accepted(&allowance.reason);
            }
        }
        diagnostics
    }

    /// A warning for each accepted rule that accepted nothing in `diagnostics` (a run of
    /// every lint): the problem was fixed, or the rule is misspelt.
    pub fn unused_allowances(&self, diagnostics: &Diagnostics) -> Vec<Diagnostic> {
        let mut unused = Vec::new();
        for item in self.items() {
            let file = &item.source.name;
            for allowance in item.lint_allow {
                let used = diagnostics.items.iter().any(|d| {
                    d.severity == Severity::Accepted && &d.file == file && d.code == allowance.rule
                });
                if used {
                    continue;
                }
                let at = item.source.text[..item.body_offset]
                    .find(allowance.rule.as_str())
                    .unwrap_or(0);
                unused.push(
                    Diagnostic::error_at(
                        "lint/unused-allowance",
                        item.source,
                        at,
                        allowance.rule.len(),
                        format!(
                            "`lint_allow` accepts `{}`, but check finds no such warning in this file",
                            allowance.rule
                        ),
                    )
                    .with_help("remove the entry (or correct the rule's code)")
                    .warning(),
                );
            }
        }
        unused
    }
}
