//! Divisor (highest averages) methods with the A1 minimums as lower bounds: D'Hondt,
//! Sainte-Laguë/Webster and Huntington-Hill, one seat at a time from a priority queue.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::{tie_order, Outcome};
use crate::domain::settings::QuotaMethod;

/// The divisor methods of [`QuotaMethod`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Divisor {
    Dhondt,
    Webster,
    HuntingtonHill,
}

impl Divisor {
    /// `None` for Hamilton, which is not a divisor method.
    pub(super) fn of(method: QuotaMethod) -> Option<Divisor> {
        match method {
            QuotaMethod::Hamilton => None,
            QuotaMethod::Dhondt => Some(Divisor::Dhondt),
            QuotaMethod::Webster => Some(Divisor::Webster),
            QuotaMethod::HuntingtonHill => Some(Divisor::HuntingtonHill),
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Divisor::Dhondt => "最高平均数法（除数为已得名额+1）",
            Divisor::Webster => "圣拉古法（除数为已得名额+0.5）",
            Divisor::HuntingtonHill => {
                "等比例法（除数为√(已得名额×(已得名额+1))，尚无名额的学院优先）"
            }
        }
    }

    /// The priority e / d(s) of a college of `e` students holding `s` seats, as an exact
    /// fraction. Bounds (e <= 1e9, s <= 1e6) keep every cross product below 1e36 < 2^128.
    fn priority(self, e: u64, s: u64) -> Priority {
        let (e, s) = (e as u128, s as u128);
        match self {
            Divisor::Dhondt => Priority { num: e, den: s + 1 },
            // e / (s + 1/2) = 2e / (2s + 1)
            Divisor::Webster => Priority {
                num: 2 * e,
                den: 2 * s + 1,
            },
            // e / sqrt(s(s+1)) compared through its square e^2 / (s(s+1)); s = 0 is infinite.
            Divisor::HuntingtonHill => Priority {
                num: e * e,
                den: s * (s + 1),
            },
        }
    }

    /// The priority as a number, for the explanation only.
    fn show(self, p: Priority) -> String {
        if p.den == 0 {
            return "无穷大".to_string();
        }
        let v = p.num as f64 / p.den as f64;
        let v = if self == Divisor::HuntingtonHill {
            v.sqrt()
        } else {
            v
        };
        format!("{v:.2}")
    }
}

/// `num / den`, with `den == 0` meaning infinity (Huntington-Hill's first seat).
#[derive(Debug, Clone, Copy)]
struct Priority {
    num: u128,
    den: u128,
}

impl Priority {
    fn cmp(&self, other: &Priority) -> Ordering {
        match (self.den == 0, other.den == 0) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => (self.num * other.den).cmp(&(other.num * self.den)),
        }
    }
}

/// A college in the queue: the highest priority first, then the tie rule.
struct Entry {
    priority: Priority,
    enrol: u64,
    index: usize,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority.cmp(&other.priority).then(tie_order(
            (self.enrol, self.index),
            (other.enrol, other.index),
        ))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

/// Starts every college at its minimum and gives each of the remaining seats to the highest
/// priority e_i / d(s_i). `total` is at least the sum of `mins`.
pub(super) fn apportion(d: Divisor, enrol: &[u64], mins: &[u64], total: u64) -> Vec<Outcome> {
    let n = enrol.len();
    let mut seats = mins.to_vec();
    let mut heap: BinaryHeap<Entry> = (0..n)
        .map(|i| Entry {
            priority: d.priority(enrol[i], seats[i]),
            enrol: enrol[i],
            index: i,
        })
        .collect();
    let remaining = total - mins.iter().sum::<u64>();
    let mut last_won: Vec<Option<Priority>> = vec![None; n];
    let mut cut: Option<Priority> = None; // priority of the last seat handed out
    for _ in 0..remaining {
        // The heap always holds every college (each pop is followed by a push).
        let Some(top) = heap.pop() else { break };
        let i = top.index;
        seats[i] += 1;
        last_won[i] = Some(top.priority);
        cut = Some(top.priority);
        heap.push(Entry {
            priority: d.priority(enrol[i], seats[i]),
            ..top
        });
    }
    // A tie decided the last seat when the best priority left equals the last one given.
    let tied = match (cut, heap.peek()) {
        (Some(c), Some(top)) => c.cmp(&top.priority) == Ordering::Equal,
        _ => false,
    };

    (0..n)
        .map(|i| {
            let extra = seats[i] - mins[i];
            let next = d.priority(enrol[i], seats[i]);
            let mut note = format!(
                "按{}从最低名额{}名起逐席分配剩余{remaining}名",
                d.zh(),
                mins[i]
            );
            match (last_won[i], cut) {
                (Some(last), _) => note.push_str(&format!(
                    "，另得{extra}名（所得最后一席的商数为{}）",
                    d.show(last)
                )),
                (None, Some(c)) => note.push_str(&format!(
                    "，未得额外名额（下一席商数{}，分配线为最后一席的商数{}）",
                    d.show(next),
                    d.show(c)
                )),
                (None, None) => note.push_str("，没有剩余名额可分"),
            }
            if let (true, Some(c)) = (tied, cut) {
                if last_won[i].is_some_and(|p| p.cmp(&c) == Ordering::Equal) {
                    note.push_str("（商数与其他学院相同，按平局规则优先获得）");
                } else if next.cmp(&c) == Ordering::Equal {
                    note.push_str("（商数与最后一席相同，按平局规则未获得）");
                }
            }
            note.push_str(&format!("，合计{}名", seats[i]));
            Outcome {
                quota: seats[i],
                note,
            }
        })
        .collect()
}
