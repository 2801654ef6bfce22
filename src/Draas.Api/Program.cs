namespace Draas.Api;

public static class Program
{
    public static int Main(string[] args) => 0;
}
