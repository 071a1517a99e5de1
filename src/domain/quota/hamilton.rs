//! Largest remainder (Hamilton, 最大余额法) with the A1 minimums as lower bounds.

use super::{tie_order, Outcome};

/// Apportions `total` seats (at least the sum of `mins`) in proportion to `enrol`.
///
/// Colleges whose quota falls below their minimum are fixed at it, round by round; the seats
/// left are shared among the others by integer parts and largest remainders.
pub(super) fn apportion(enrol: &[u64], mins: &[u64], total: u64) -> Vec<Outcome> {
    let n = enrol.len();
    // Round in which a college was fixed at its minimum, and its quota in that round.
    let mut fixed: Vec<Option<(u32, f64)>> = vec![None; n];
    let mut seats = total; // seats still to share (T_U)
    let mut pool: u64 = enrol.iter().sum(); // enrolment still sharing them (E_U)

    // College i is below its minimum when T_U x e_i / E_U < m_i, i.e. e_i / m_i < E_U / T_U.
    // Sorted by e_i / m_i, the colleges fixed in a round are a prefix of those not yet fixed,
    // so all rounds together take one sort and one pass.
    let mut order: Vec<usize> = (0..n).filter(|&i| mins[i] > 0).collect();
    order.sort_by(|&a, &b| {
        (enrol[a] as u128 * mins[b] as u128).cmp(&(enrol[b] as u128 * mins[a] as u128))
    });
    let mut next = 0;
    let mut round = 0;
    loop {
        let (t_u, e_u) = (seats as u128, pool as u128);
        let start = next;
        while next < order.len() {
            let i = order[next];
            if t_u * enrol[i] as u128 >= mins[i] as u128 * e_u {
                break;
            }
            next += 1;
        }
        if next == start {
            break;
        }
        round += 1;
        for &i in &order[start..next] {
            fixed[i] = Some((round, t_u as f64 * enrol[i] as f64 / e_u as f64));
            // Cannot underflow: seats >= sum of the minimums not yet fixed (total >= all of
            // them at the start, and only colleges getting more than their share are removed).
            seats -= mins[i];
            pool -= enrol[i];
        }
    }

    // Integer parts and remainders of the quotas T_U x e_i / E_U, remainders over E_U.
    let free: Vec<usize> = (0..n).filter(|&i| fixed[i].is_none()).collect();
    let mut quota = mins.to_vec();
    let mut rem = vec![0u64; n];
    let mut floors = 0;
    for &i in &free {
        let p = seats as u128 * enrol[i] as u128;
        // `free` is non-empty only when some enrolment remains in the pool.
        quota[i] = (p / pool as u128) as u64;
        rem[i] = (p % pool as u128) as u64;
        floors += quota[i];
    }
    let left = (seats - floors) as usize; // < free.len(): the remainders sum to left x E_U
    let mut by_rem = free.clone();
    by_rem.sort_by(|&a, &b| {
        rem[b]
            .cmp(&rem[a])
            .then(tie_order((enrol[b], b), (enrol[a], a)))
    });
    let mut gets_extra = vec![false; n];
    for &i in by_rem.iter().take(left) {
        gets_extra[i] = true;
        quota[i] += 1;
    }
    // A tie decided the last seat when the last remainder in equals the first one out.
    let tied_rem = match (left.checked_sub(1), by_rem.get(left)) {
        (Some(last_in), Some(&first_out)) if rem[by_rem[last_in]] == rem[first_out] => {
            Some(rem[first_out])
        }
        _ => None,
    };

    (0..n)
        .map(|i| {
            let note = match fixed[i] {
                Some((r, q)) => {
                    let when = if r == 1 {
                        "按最大余额法".to_string()
                    } else {
                        format!("扣除前{}轮保底学院后重新分配", r - 1)
                    };
                    format!(
                        "{when}应得{q:.4}名，低于最低名额，按最低名额确定为{}名（规则A1）",
                        mins[i]
                    )
                }
                None => {
                    let q = seats as f64 * enrol[i] as f64 / pool as f64;
                    let mut s = if round == 0 {
                        format!("按最大余额法应得{q:.4}名")
                    } else {
                        format!(
                            "扣除保底学院后，剩余{seats}名在其余学院（在校生共{pool}人）间\
                             按比例分配，应得{q:.4}名"
                        )
                    };
                    let floor = quota[i] - u64::from(gets_extra[i]);
                    let frac = rem[i] as f64 / pool as f64;
                    s.push_str(&format!("，整数部分{floor}名"));
                    if left == 0 {
                        s.push_str("，没有余额名额可分");
                    } else if gets_extra[i] {
                        s.push_str(&format!("，余数{frac:.4}位列前{left}，另得1个余额名额"));
                    } else {
                        s.push_str(&format!("，余数{frac:.4}未进入前{left}，未得余额名额"));
                    }
                    if tied_rem == Some(rem[i]) {
                        s.push_str("（余数与其他学院相同，按平局规则决定）");
                    }
                    s.push_str(&format!("，合计{}名", quota[i]));
                    s
                }
            };
            Outcome {
                quota: quota[i],
                note,
            }
        })
        .collect()
}
