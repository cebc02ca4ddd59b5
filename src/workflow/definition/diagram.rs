//! The state diagrams of a definition, in Mermaid and Graphviz dot syntax
//! (`casework workflow diagram` and the definitions endpoint).

use super::Workflow;

impl Workflow {
    /// The state diagram in Mermaid syntax.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("stateDiagram-v2\n");
        out.push_str(&format!("    [*] --> {}\n", self.initial));
        for t in &self.transitions {
            for from in &t.from {
                out.push_str(&format!("    {from} --> {}: {}\n", t.to, t.action));
            }
        }
        for a in &self.automatic {
            out.push_str(&format!("    {} --> {}: (automatic)\n", a.from, a.to));
        }
        for s in self.states.iter().filter(|s| s.terminal) {
            out.push_str(&format!("    {} --> [*]\n", s.name));
        }
        out.push_str("    state \"member track\" as member_track {\n");
        out.push_str(&format!("        [*] --> m_{}\n", self.member.initial));
        for t in &self.member.transitions {
            for from in &t.from {
                out.push_str(&format!("        m_{from} --> m_{}: {}\n", t.to, t.action));
            }
        }
        for a in &self.member.automatic {
            out.push_str(&format!(
                "        m_{} --> m_{}: (automatic)\n",
                a.from, a.to
            ));
        }
        out.push_str("    }\n");
        out
    }

    /// The state diagram in Graphviz dot syntax.
    pub fn dot(&self) -> String {
        let mut out = format!(
            "digraph \"{}\" {{\n    rankdir=LR;\n    node [shape=box, style=rounded];\n",
            self.key()
        );
        for s in &self.states {
            let shape = if s.terminal { ", peripheries=2" } else { "" };
            out.push_str(&format!(
                "    \"{}\" [label=\"{}\\n{}\"{shape}];\n",
                s.name, s.labels.en, s.labels.ar
            ));
        }
        for t in &self.transitions {
            for from in &t.from {
                out.push_str(&format!(
                    "    \"{from}\" -> \"{}\" [label=\"{}\"];\n",
                    t.to, t.action
                ));
            }
        }
        for a in &self.automatic {
            out.push_str(&format!(
                "    \"{}\" -> \"{}\" [label=\"automatic\", style=dashed];\n",
                a.from, a.to
            ));
        }
        out.push_str("    subgraph cluster_member {\n        label=\"member track\";\n");
        for s in &self.member.states {
            out.push_str(&format!(
                "        \"m_{}\" [label=\"{}\\n{}\"];\n",
                s.name, s.labels.en, s.labels.ar
            ));
        }
        for t in &self.member.transitions {
            for from in &t.from {
                out.push_str(&format!(
                    "        \"m_{from}\" -> \"m_{}\" [label=\"{}\"];\n",
                    t.to, t.action
                ));
            }
        }
        for a in &self.member.automatic {
            out.push_str(&format!(
                "        \"m_{}\" -> \"m_{}\" [label=\"automatic\", style=dashed];\n",
                a.from, a.to
            ));
        }
        out.push_str("    }\n}\n");
        out
    }
}
