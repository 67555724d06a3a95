//! `[engine] kind = "ballista"` (#7): the demo run on a Ballista cluster started inside the process
//! must publish exactly the bytes the local engine does, with its queries run as Ballista jobs.

use crate::region::{assert_status, run_demo_with_engine};

#[cfg(feature = "ballista")]
#[test]
fn the_demo_on_an_in_process_ballista_cluster_gives_the_local_engine_s_bytes() {
    use crate::region::{assert_same_output, number_after, run_demo, stderr_line};

    let local = run_demo();
    let (cluster, out) = run_demo_with_engine("kind = \"ballista\"\nscheduler = \"standalone\"");
    assert_status(&out, 0);
    // "engine: ballista (standalone, in this process): N queries ran as Ballista jobs"
    let line = stderr_line(&out, "engine: ballista (standalone");
    let jobs: u64 = number_after(&line, "): ");
    // Every query of a run (the indicators, the bundle, the site's models) is a job: far more
    // than the handful a partial fallback to the local engine would leave.
    assert!(jobs >= 20, "{line}");
    for dir in ["warehouse", "site"] {
        assert_same_output(local.path(), cluster.path(), dir, "on Ballista");
    }
}

#[cfg(not(feature = "ballista"))]
#[test]
fn asking_for_ballista_without_the_feature_is_an_input_error() {
    let (dir, out) = run_demo_with_engine("kind = \"ballista\"\nscheduler = \"standalone\"");
    assert_status(&out, 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("built without Ballista") && stderr.contains("--features ballista"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}
