namespace Draas.Domain; public static class Placeholder {}
