namespace Autograd.Serialization;

/// <summary>A safetensors file that breaks the format (a corrupt, truncated or hostile file), or a dict that cannot be written as one.</summary>
public sealed class SafeTensorsException : IOException
{
    /// <summary>Creates the exception with no message.</summary>
    public SafeTensorsException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public SafeTensorsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public SafeTensorsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A <c>torch.save</c> checkpoint that cannot be read: corrupt, of a kind this reader does not handle, or asking for code it refuses to run.</summary>
public sealed class TorchLoadException : IOException
{
    /// <summary>Creates the exception with no message.</summary>
    public TorchLoadException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public TorchLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public TorchLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
