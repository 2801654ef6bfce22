using Draas.Simulators.Lab;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Tests.Reliability;

/// <summary>Fault injection over the whole DR lab, and the simulators' own count of what they injected.</summary>
public static class LabFaults
{
    private static readonly string[] Arrays = ["array-a", "array-b"];

    /// <summary>Every OpenStack service of both sites and both arrays answer <paramref name="rate"/> of their
    /// calls with a 503, until the returned handle is disposed.</summary>
    public static async Task<IAsyncDisposable> TransientEverywhereAsync(DrLab lab, double rate)
    {
        var fault = new ServiceFault { ErrorRate = rate, ErrorStatus = 503 };
        foreach (var site in lab.Sites)
            foreach (var service in SiteFaults.Services) site.OpenStack.Faults.Set(service, fault);
        foreach (var array in Arrays) await lab.FlashArray.Admin.SetFaultsAsync(array, 0, rate);
        return new Cleared(lab);
    }

    /// <summary>Faults injected so far by both sites and both arrays, as the simulators counted them.</summary>
    public static async Task<long> InjectedAsync(DrLab lab)
    {
        var total = lab.Sites.Sum(s => s.OpenStack.Faults.Injected);
        foreach (var array in Arrays) total += await lab.FlashArray.Admin.InjectedFaultsAsync(array);
        return total;
    }

    private sealed class Cleared(DrLab lab) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var site in lab.Sites) site.OpenStack.Faults.Clear();
            foreach (var array in Arrays) await lab.FlashArray.Admin.SetFaultsAsync(array, 0, 0);
        }
    }
}
