namespace Cairn.Inference.Internal;

/// <summary>A box before NMS, in model input pixels (x1, y1, x2, y2), with its score, class and order of discovery.</summary>
internal struct Candidate
{
    public float X1;
    public float Y1;
    public float X2;
    public float Y2;
    public float Score;
    public int Class;
    public int Order;

    public Candidate(float x1, float y1, float x2, float y2, float score, int cls, int order)
    {
        X1 = x1;
        Y1 = y1;
        X2 = x2;
        Y2 = y2;
        Score = score;
        Class = cls;
        Order = order;
    }

    /// <summary>Highest score first; ties keep the order in which the candidates were found.</summary>
    public static int ByScoreDescending(Candidate a, Candidate b)
    {
        var c = b.Score.CompareTo(a.Score);
        return c != 0 ? c : a.Order.CompareTo(b.Order);
    }
}
