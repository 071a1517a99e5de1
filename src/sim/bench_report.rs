//! The benchmark's report: the calibration, every phase as the median of the runs with the
//! range beside it, and the goals stated in milliseconds and as ratios to the machine's
//! limits measured in the same runs (`calibrate`). A figure is only comparable with another
//! machine's through these ratios.

use super::bench::{BenchReport, RunReport};
use super::http::{Kind, Phase};

/// Median and range over the runs.
#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub n: usize,
}

/// The median (the mean of the middle two for an even count) and range of `values`.
/// Round trips of one ballot-box batch of up to 200 ballots on PostgreSQL
/// (`service::ballot_box`: BEGIN, share lock, lookup, insert, COMMIT).
const ROUND_TRIPS_PER_BATCH: u32 = 5;

pub fn range(values: impl IntoIterator<Item = f64>) -> Option<Range> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some(Range {
        median,
        min: v[0],
        max: v[n - 1],
        n,
    })
}

impl Range {
    /// `median [min–max]` (just the value for one run), with `d` decimals.
    pub fn show(&self, d: usize) -> String {
        if self.n < 2 {
            format!("{:.d$}", self.median)
        } else {
            format!("{:.d$} [{:.d$}–{:.d$}]", self.median, self.min, self.max)
        }
    }
}

fn show(r: Option<Range>, d: usize) -> String {
    r.map_or_else(|| "-".to_string(), |r| r.show(d))
}

/// The same value in every run.
fn over(runs: &[RunReport], f: impl Fn(&RunReport) -> Option<f64>) -> Option<Range> {
    range(runs.iter().filter_map(f))
}

/// The `i`-th phase's value in every run.
fn phase_over(runs: &[RunReport], i: usize, f: impl Fn(&Phase) -> Option<f64>) -> Option<Range> {
    over(runs, |r| r.phases().nth(i).and_then(&f))
}

/// The phases of one kind in a run, in order.
fn of_kind(r: &RunReport, kind: Kind) -> Vec<&Phase> {
    r.phases().filter(|p| p.kind == kind).collect()
}

/// A phase's CPU floor: the server's and the load generator's CPU time spread over every
/// core, the shortest the phase could take on this machine if it were CPU-bound.
fn cpu_floor_ms(p: &Phase, cpus: usize) -> Option<f64> {
    let both = p.server_cpu_ms.unwrap_or(0.0) + p.client_cpu_ms?;
    Some(both / cpus.max(1) as f64)
}

/// Mean batch of the main writer of a phase: `ballot-box` or `paper-issuer`.
fn mean_batch(p: &Phase) -> Option<f64> {
    let s = p
        .writers
        .get("ballot-box")
        .filter(|s| s.batches > 0)
        .or_else(|| p.writers.get("paper-issuer").filter(|s| s.batches > 0))?;
    Some(s.items as f64 / s.batches as f64)
}

fn failed_batches(p: &Phase) -> u64 {
    p.writers.values().map(|s| s.failed_batches).sum()
}

fn print_calibration(runs: &[RunReport]) {
    let c = |f: fn(&RunReport) -> Option<f64>| over(runs, f);
    println!("## 本机极限 (同一次运行中测得; 中位数 [最小–最大])");
    println!(
        "- RSA-2048 盲签名 (OpenSSL, 私钥运算+CRT): 每核 {}/s, 全部 {} 核 {}/s",
        show(c(|r| Some(r.calibration.rsa_sign_per_s_core)), 0),
        runs.first().map_or(0, |r| r.calibration.cpus),
        show(c(|r| Some(r.calibration.rsa_sign_per_s_all)), 0)
    );
    println!(
        "- RSA-2048 PSS 验签: 每核 {}/s, 全部核 {}/s",
        show(c(|r| Some(r.calibration.rsa_verify_per_s_core)), 0),
        show(c(|r| Some(r.calibration.rsa_verify_per_s_all)), 0)
    );
    println!(
        "- 数据目录 fdatasync (4 KiB): {}/s; 单行事务提交 ({}): {}/s",
        show(c(|r| Some(r.calibration.fsync_per_s)), 0),
        runs.first()
            .map_or(String::new(), |r| r.run.database.clone()),
        show(c(|r| Some(r.calibration.commit_per_s)), 0)
    );
    if runs
        .iter()
        .any(|r| r.calibration.pg_round_trips_per_s.is_some())
    {
        println!(
            "- PostgreSQL 往返 (SELECT 1, 一个连接): {}/s",
            show(c(|r| r.calibration.pg_round_trips_per_s), 0)
        );
    }
    let health = |r: &RunReport| of_kind(r, Kind::Health).first().map(|p| (*p).clone());
    if runs.iter().any(|r| health(r).is_some()) {
        println!(
            "- HTTP (同一客户端、同样多的连接, 每部手机同时 GET /health): {}/s, p50 {} ms, p99 {} ms",
            show(over(runs, |r| health(r).map(|p| p.throughput_per_s)), 0),
            show(over(runs, |r| health(r).map(|p| p.p50_ms)), 1),
            show(over(runs, |r| health(r).map(|p| p.p99_ms)), 1)
        );
    }
}

fn print_phases(runs: &[RunReport], cpus: usize) {
    println!("## 各阶段 (中位数 [最小–最大]; CPU 下限 = (服务器 + 压测端 CPU) / {cpus} 核)");
    println!(
        "| 阶段 | 请求 | 错误 | 耗时 ms | 每秒 | p50 ms | p99 ms | 服务器 CPU ms | 压测端 CPU ms | CPU 下限 ms | 平均每批 | 批失败 | 监听队列溢出 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let Some(first) = runs.first() else { return };
    for (i, p) in first.phases().enumerate() {
        let errors: usize = runs
            .iter()
            .filter_map(|r| r.phases().nth(i))
            .map(|p| p.errors)
            .sum();
        let failed: u64 = runs
            .iter()
            .filter_map(|r| r.phases().nth(i))
            .map(failed_batches)
            .sum();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            p.name,
            p.requests,
            errors,
            show(phase_over(runs, i, |p| Some(p.wall_ms)), 1),
            show(phase_over(runs, i, |p| Some(p.throughput_per_s)), 0),
            show(phase_over(runs, i, |p| Some(p.p50_ms)), 1),
            show(phase_over(runs, i, |p| Some(p.p99_ms)), 1),
            show(phase_over(runs, i, |p| p.server_cpu_ms), 0),
            show(phase_over(runs, i, |p| p.client_cpu_ms), 0),
            show(phase_over(runs, i, |p| cpu_floor_ms(p, cpus)), 0),
            show(phase_over(runs, i, mean_batch), 1),
            failed,
            show(
                phase_over(runs, i, |p| p.tcp.map(|t| t.listen_overflows as f64)),
                0
            ),
        );
        for r in runs {
            for e in r.phases().nth(i).map_or(&[][..], |p| &p.error_samples[..]) {
                println!("    错误: {e}");
            }
        }
    }
}

/// The goals of issue 10, each in ms and as a ratio to the limit that bounds it.
fn print_goals(runs: &[RunReport], cpus: usize) {
    println!("## 目标, 以及与本机极限之比");
    let Some(first) = runs.first() else { return };
    for (i, p) in of_kind(first, Kind::Issue).iter().enumerate() {
        let wall = over(runs, |r| of_kind(r, Kind::Issue).get(i).map(|p| p.wall_ms));
        let limit = over(runs, |r| {
            let p = of_kind(r, Kind::Issue).get(i).copied()?;
            Some(p.requests as f64 / r.calibration.rsa_sign_per_s_all * 1000.0)
        });
        let pct = over(runs, |r| {
            let p = of_kind(r, Kind::Issue).get(i).copied()?;
            Some(p.requests as f64 / r.calibration.rsa_sign_per_s_all * 1000.0 / p.wall_ms * 100.0)
        });
        println!(
            "- {}: {} 张选票 {} ms (目标 ≤ 1000 ms) = {} 核 RSA 签名极限 ({} ms) 的 {}%",
            p.name,
            p.requests,
            show(wall, 0),
            cpus,
            show(limit, 0),
            show(pct, 0)
        );
    }
    let health_rate = |r: &RunReport| of_kind(r, Kind::Health).first().map(|p| p.throughput_per_s);
    for (i, p) in of_kind(first, Kind::CastAtOnce).iter().enumerate() {
        let get = |r: &RunReport| of_kind(r, Kind::CastAtOnce).get(i).map(|p| (*p).clone());
        println!(
            "- {}: {} 张 {} ms 全部落盘 (目标 ≤ 1000 ms); 同样多的 /health 需 {} ms (比值 {}); 验签极限 {} ms",
            p.name,
            p.requests,
            show(over(runs, |r| get(r).map(|p| p.wall_ms)), 0),
            show(over(runs, |r| Some(get(r)?.requests as f64 / health_rate(r)? * 1000.0)), 0),
            show(over(runs, |r| Some(get(r)?.wall_ms / (get(r)?.requests as f64 / health_rate(r)? * 1000.0))), 2),
            show(over(runs, |r| Some(get(r)?.requests as f64 / r.calibration.rsa_verify_per_s_all * 1000.0)), 0),
        );
    }
    for (i, p) in of_kind(first, Kind::CastSpread).iter().enumerate() {
        let get = |r: &RunReport| of_kind(r, Kind::CastSpread).get(i).map(|p| (*p).clone());
        println!(
            "- {}: p99 {} ms (目标 < 50 ms), p50 {} ms",
            p.name,
            show(over(runs, |r| get(r).map(|p| p.p99_ms)), 1),
            show(over(runs, |r| get(r).map(|p| p.p50_ms)), 1),
        );
    }
    for (i, p) in of_kind(first, Kind::BoxAlone).iter().enumerate() {
        let get = |r: &RunReport| of_kind(r, Kind::BoxAlone).get(i).map(|p| (*p).clone());
        let ceiling = |r: &RunReport| Some(r.calibration.commit_per_s * mean_batch(&get(r)?)?);
        let mut line = format!(
            "- {}: {}/s (目标 ≥ 10000/s), 平均每批 {} 张 = {} × (单行提交速率 × 平均每批)",
            p.name,
            show(over(runs, |r| get(r).map(|p| p.throughput_per_s)), 0),
            show(over(runs, |r| get(r).as_ref().and_then(mean_batch)), 1),
            show(
                over(runs, |r| Some(get(r)?.throughput_per_s / ceiling(r)?)),
                2
            ),
        );
        if first.calibration.pg_round_trips_per_s.is_some() {
            // A batch is five round trips whatever its size (BEGIN, the contest's state
            // share-locked, the batch's tokens looked up, one multi-row insert per 200
            // ballots, COMMIT): the share of the round-trip limit the box used.
            line.push_str(&format!(
                "; PostgreSQL 往返每批约 {ROUND_TRIPS_PER_BATCH} 次, 占往返极限的 {}",
                show(
                    over(runs, |r| Some(
                        get(r)?.throughput_per_s / mean_batch(&get(r)?)?
                            * ROUND_TRIPS_PER_BATCH as f64
                            / r.calibration.pg_round_trips_per_s?
                    )),
                    2
                )
            ));
        }
        println!("{line}");
    }
    if let Some(p) = of_kind(first, Kind::CheckIn).first() {
        let get = |r: &RunReport| of_kind(r, Kind::CheckIn).first().map(|p| (*p).clone());
        println!(
            "- {}: {}/s = {} × 单行提交速率 (每次登录一个事务, 不合并提交)",
            p.name,
            show(over(runs, |r| get(r).map(|p| p.throughput_per_s)), 0),
            show(
                over(runs, |r| Some(
                    get(r)?.throughput_per_s / r.calibration.commit_per_s
                )),
                2
            ),
        );
    }
    println!(
        "- 服务器峰值 RSS: {} MiB (目标 < 150 MiB)",
        show(over(runs, |r| Some(r.server_peak_rss_mib)), 1)
    );
}

/// Prints the report.
pub fn print(r: &BenchReport) {
    let m = &r.machine;
    println!(
        "机器: {} 核 {}, 内存 {} MiB, 内核 {}, 文件句柄上限 {}",
        m.cpus, m.cpu_model, m.memory_mib, m.kernel, m.open_files_limit
    );
    println!(
        "代表 {} 名, 并发 {}, 分散提交 {} ms, 数据库 {}, 运行 {} 次 (负载 {})",
        r.delegates,
        r.concurrency,
        r.spread_ms,
        r.runs.first().map_or("-", |x| x.run.database.as_str()),
        r.runs.len(),
        r.runs
            .iter()
            .map(|x| format!("{:.2}->{:.2}", x.load_before, x.load_after))
            .collect::<Vec<_>>()
            .join(", ")
    );
    print_calibration(&r.runs);
    print_phases(&r.runs, m.cpus);
    print_goals(&r.runs, m.cpus);
    for (i, x) in r.runs.iter().enumerate() {
        println!(
            "第 {} 次: 回执 {} 张 (公示中 {}), 备案材料核验 {}",
            i + 1,
            x.run.receipts,
            x.run.receipts_on_board,
            if x.run.verified {
                "通过"
            } else {
                "未通过"
            }
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_range() {
        let r = range([3.0, 1.0, 2.0]).unwrap();
        assert_eq!((r.median, r.min, r.max, r.n), (2.0, 1.0, 3.0, 3));
        assert_eq!(range([4.0, 1.0]).unwrap().median, 2.5);
        assert!(range([f64::NAN]).is_none());
        assert_eq!(range([5.0]).unwrap().show(1), "5.0");
        assert_eq!(r.show(0), "2 [1–3]");
    }
}
