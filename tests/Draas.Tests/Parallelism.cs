// Fixtures may run side by side: each one that starts the service has its own database (a copy of the migrated
// template), its own lab (its own ports and loopback addresses) and its own Keystone stand-in, so they share
// nothing but the machine. A fixture that changes what the whole process shares (environment variables,
// Console), asserts on what it shares (the static Prometheus registry, the runs' ActivitySource), drives a
// browser, restarts or promotes a PostgreSQL cluster, or measures timing says [NonParallelizable] and runs alone.
// How many run at once is the runner's: ./tox -e test runs one unless DRAAS_TEST_WORKERS says more.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
