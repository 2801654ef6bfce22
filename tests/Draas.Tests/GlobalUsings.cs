global using Draas.Testing;
global using NUnit.Framework;
