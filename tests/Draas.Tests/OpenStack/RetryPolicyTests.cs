using System.Net;
using Draas.OpenStack;
using Draas.OpenStack.Core;
using Draas.Tests.OpenStack.Support;

namespace Draas.Tests.OpenStack;

public class RetryPolicyTests
{
    const string VolumeBody = """{"volume": {"id": "v1", "status": "available", "size": 1, "created_at": "2026-11-22T10:00:00.000000"}}""";
    FakeCloud _cloud = null!;
    string _volume = null!;

    [SetUp]
    public void Start()
    {
        _cloud = new FakeCloud();
        _volume = $"{_cloud.VolumePath}/volumes/v1";
    }

    [TearDown] public void Stop() => _cloud.Dispose();

    [Test]
    public async Task A_503_is_retried_after_a_backoff_and_the_call_succeeds()
    {
        _cloud.StubSequence("GET", _volume, (503, """{"message": "Service Unavailable"}""", []), (200, VolumeBody, []));
        using var session = _cloud.Session();

        var volume = await session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None);

        Assert.That(volume.Id, Is.EqualTo("v1"));
        var calls = _cloud.Requests("GET", _volume);
        Assert.That(calls, Has.Length.EqualTo(2));
        Assert.That(calls.Select(c => c.Header("X-Auth-Token")), Is.All.EqualTo(FakeCloud.ServiceToken));
        Assert.That(calls.Select(c => c.Header("OpenStack-API-Version")), Is.All.EqualTo("volume 3.60"));
        Assert.That(_cloud.Time.Waits, Has.Count.EqualTo(1));
        Assert.That(_cloud.Time.Waits[0], Is.InRange(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)));
    }

    [Test]
    public async Task A_409_in_use_on_delete_is_retried_until_cinder_accepts()
    {
        _cloud.StubSequence("DELETE", _volume,
            (409, """{"conflictingRequest": {"code": 409, "message": "Volume v1 is in use by an attachment being removed."}}""", []),
            (202, null, []));
        using var session = _cloud.Session();

        await session.BlockStorage.Volumes.DeleteAsync("v1", cascade: false, CancellationToken.None);

        Assert.That(_cloud.Requests("DELETE", _volume), Has.Length.EqualTo(2));
    }

    [Test]
    public void A_400_is_never_retried_and_carries_status_message_and_request_id()
    {
        _cloud.StubSequence("GET", _volume, (400, """{"badRequest": {"code": 400, "message": "Invalid input received: bad marker"}}""", []), (200, VolumeBody, []));
        using var session = _cloud.Session();

        var error = Assert.ThrowsAsync<OpenStackException>(() => session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None));

        Assert.That(_cloud.Requests("GET", _volume), Has.Length.EqualTo(1));
        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(error.ServiceMessage, Is.EqualTo("Invalid input received: bad marker"));
        Assert.That(error.RequestId, Is.EqualTo("req-0"));
        Assert.That(error.Service, Is.EqualTo("volumev3"));
        Assert.That(error.Message, Does.Contain("GET").And.Contain("/volumes/v1").And.Contain("req-0"));
        Assert.That(_cloud.Time.Waits, Is.Empty);
    }

    [Test]
    public void A_409_that_is_not_about_being_busy_is_not_retried()
    {
        _cloud.Stub("DELETE", _volume, 409, """{"conflictingRequest": {"code": 409, "message": "Volume v1 has dependent snapshots."}}""");
        using var session = _cloud.Session();

        Assert.ThrowsAsync<OpenStackException>(() => session.BlockStorage.Volumes.DeleteAsync("v1", false, CancellationToken.None));

        Assert.That(_cloud.Requests("DELETE", _volume), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_429_waits_exactly_as_long_as_retry_after_says()
    {
        _cloud.StubSequence("GET", _volume, (429, """{"overLimit": {"code": 429, "message": "slow down"}}""", [("Retry-After", "7")]), (200, VolumeBody, []));
        using var session = _cloud.Session();

        await session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None);

        Assert.That(_cloud.Time.Waits, Is.EqualTo(new[] { TimeSpan.FromSeconds(7) }));
    }

    [Test]
    public async Task A_413_with_retry_after_is_a_rate_limit_and_retried_but_without_it_is_final()
    {
        _cloud.StubSequence("GET", _volume, (413, """{"overLimit": {"message": "rate"}}""", [("Retry-After", "2")]), (200, VolumeBody, []));
        _cloud.Stub("POST", $"{_cloud.VolumePath}/volumes", 413, """{"overLimit": {"code": 413, "message": "VolumeSizeExceedsAvailableQuota"}}""");
        using var session = _cloud.Session();

        await session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None);
        Assert.ThrowsAsync<OpenStackException>(() => session.BlockStorage.Volumes.CreateAsync(new() { Size = 5000 }, CancellationToken.None));

        Assert.That(_cloud.Requests("GET", _volume), Has.Length.EqualTo(2));
        Assert.That(_cloud.Requests("POST", $"{_cloud.VolumePath}/volumes"), Has.Length.EqualTo(1));
    }

    [Test]
    public void A_retry_after_beyond_the_bound_fails_at_once_instead_of_hanging_a_step()
    {
        _cloud.Stub("GET", _volume, 429, """{"message": "later"}""", ("Retry-After", "3600"));
        using var session = _cloud.Session();

        var error = Assert.ThrowsAsync<OpenStackException>(() => session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(_cloud.Requests("GET", _volume), Has.Length.EqualTo(1));
    }

    [Test]
    public void A_service_that_stays_unavailable_fails_after_the_attempt_bound()
    {
        _cloud.Stub("GET", _volume, 503, """{"message": "down"}""");
        using var session = _cloud.Session(maxAttempts: 4);

        var error = Assert.ThrowsAsync<OpenStackException>(() => session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(_cloud.Requests("GET", _volume), Has.Length.EqualTo(4));
        Assert.That(_cloud.Time.Waits, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_502_is_retried_for_a_read_but_not_for_a_create_that_may_have_happened()
    {
        _cloud.Stub("GET", _volume, 502, "<html>Bad Gateway</html>");
        _cloud.Stub("POST", $"{_cloud.VolumePath}/volumes", 502, "<html>Bad Gateway</html>");
        using var session = _cloud.Session(maxAttempts: 3);

        Assert.ThrowsAsync<OpenStackException>(() => session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None));
        var error = Assert.ThrowsAsync<OpenStackException>(() => session.BlockStorage.Volumes.CreateAsync(new() { Size = 1 }, CancellationToken.None));

        Assert.That(_cloud.Requests("GET", _volume), Has.Length.EqualTo(3));
        Assert.That(_cloud.Requests("POST", $"{_cloud.VolumePath}/volumes"), Has.Length.EqualTo(1));
        Assert.That(error!.ServiceMessage, Is.EqualTo("<html>Bad Gateway</html>"));
    }

    [Test]
    public void An_answer_that_is_not_the_expected_json_is_an_openstack_error_naming_the_call()
    {
        _cloud.Stub("GET", _volume, 200, "<html>proxy login</html>");
        using var session = _cloud.Session();

        var error = Assert.ThrowsAsync<OpenStackException>(() => session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(error.Message, Does.Contain("/volumes/v1").And.Contain("not the expected"));
        Assert.That(error.RequestId, Does.StartWith("req-"));
    }

    [TestCase(System.Net.Sockets.SocketError.ConnectionRefused, "POST", true)]
    [TestCase(System.Net.Sockets.SocketError.ConnectionReset, "GET", true)]
    [TestCase(System.Net.Sockets.SocketError.ConnectionReset, "DELETE", true)]
    [TestCase(System.Net.Sockets.SocketError.ConnectionReset, "POST", false)]
    [TestCase(System.Net.Sockets.SocketError.TimedOut, "POST", false)]
    public void A_lost_connection_is_retried_only_where_repeating_the_call_is_safe(System.Net.Sockets.SocketError cause, string method, bool retried)
    {
        var error = new HttpRequestException("send failed", new System.Net.Sockets.SocketException((int)cause));

        Assert.That(RetryPolicy.TransientReason(error, method) is not null, Is.EqualTo(retried));
    }

    [Test]
    public void A_refused_connection_is_retried_then_reported_without_a_status()
    {
        var time = new FastForwardTime();
        var policy = new RetryPolicy(new RetryPolicyOptions { MaxAttempts = 3 }, time);
        var closedPort = new Uri("http://127.0.0.1:9/volume/v3/p");
        using var client = new ServiceClient(ServiceApi.BlockStorage, auth: null, _ => Task.FromResult(closedPort), policy);

        var error = Assert.ThrowsAsync<OpenStackException>(() => client.GetAsync<object>("volumes/v1", "volume", CancellationToken.None));

        Assert.That(error!.StatusCode, Is.Null);
        Assert.That(time.Waits, Has.Count.EqualTo(2), "three attempts, two waits");
    }

    [Test]
    public void Cancelling_a_call_while_it_waits_to_retry_ends_it_with_a_cancellation_not_a_service_error()
    {
        _cloud.Stub("GET", _volume, 503, """{"message": "down"}""");
        var stoppedClock = new StoppedClock();
        using var session = new Draas.OpenStack.Identity.KeystoneSession(_cloud.PasswordOptions(), stoppedClock, null,
            new RetryPolicyOptions { MaxAttempts = 50 });
        using var cancel = new CancellationTokenSource();
        stoppedClock.OnWait = cancel.Cancel;

        Assert.CatchAsync<OperationCanceledException>(() => session.BlockStorage.Volumes.GetAsync("v1", cancel.Token));

        Assert.That(_cloud.Requests("GET", _volume), Has.Length.EqualTo(1));
    }

    /// <summary>A clock whose timers never fire: a wait only ends by cancellation.</summary>
    sealed class StoppedClock : TimeProvider
    {
        public Action? OnWait { get; set; }
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ThreadPool.QueueUserWorkItem(_ => OnWait?.Invoke());
            return new Never();
        }

        sealed class Never : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [TestCase(1, 0.0, 250)]
    [TestCase(1, 1.0, 500)]
    [TestCase(3, 1.0, 2000)]
    [TestCase(12, 1.0, 20000)]
    [TestCase(12, 0.0, 10000)]
    public void Backoff_doubles_per_attempt_with_jitter_up_to_the_cap(int attempt, double jitter, int expectedMs)
    {
        var policy = new RetryPolicy(new RetryPolicyOptions(), TimeProvider.System, jitter: () => jitter);

        Assert.That(policy.DelayFor(attempt, null), Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));
    }

    [Test]
    public void Retry_after_may_be_an_http_date()
    {
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

        Assert.That(RetryPolicy.ParseRetryAfter("Sun, 22 Nov 2026 12:00:30 GMT", now), Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(RetryPolicy.ParseRetryAfter("12", now), Is.EqualTo(TimeSpan.FromSeconds(12)));
        Assert.That(RetryPolicy.ParseRetryAfter("soon", now), Is.Null);
    }
}
