using Prometheus;

namespace Draas.Api.Http;

/// <summary>What the API turned away (see <see cref="ApiAdmission"/>).</summary>
public static class ApiMetrics
{
    public static readonly Counter Refused = Metrics.CreateCounter(
        "draas_api_requests_refused_total", "API requests answered 503 because max_concurrent_requests were being served and request_queue more waited.");
}
